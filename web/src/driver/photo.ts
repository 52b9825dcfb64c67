// Photos are made smaller on the phone before they are queued: drawn on a canvas at most 1600 px on
// the long side and exported as JPEG (a phone camera's 12 MP picture becomes a few hundred KB).
export const MAX_SIDE = 1600;

export interface Photo {
  blob: Blob;
  width: number;
  height: number;
}

export async function resizePhoto(file: Blob, maxSide = MAX_SIDE, quality = 0.85): Promise<Photo> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d canvas');
  ctx.fillStyle = '#ffffff'; // a transparent PNG gets a white background, not black
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
  if (!blob) throw new Error('the photo could not be encoded');
  return { blob, width, height };
}
