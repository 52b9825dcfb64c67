// A signature pad: a canvas drawn with pointer events (finger, pen or mouse), exported as PNG.
import { el } from '../shared/dom';

export class SignaturePad {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private drawing = false;
  private strokes = 0;
  private lastX = 0;
  private lastY = 0;
  onChange: () => void = () => {};

  constructor(label: string, width = 600, height = 220) {
    this.canvas = el('canvas', { class: 'signature', width: String(width), height: String(height), role: 'img', 'aria-label': label, 'data-testid': 'signature-pad' });
    this.ctx = this.canvas.getContext('2d')!;
    this.clear();
    this.canvas.addEventListener('pointerdown', (e) => this.down(e));
    this.canvas.addEventListener('pointermove', (e) => this.move(e));
    for (const type of ['pointerup', 'pointercancel', 'pointerleave'] as const) this.canvas.addEventListener(type, () => (this.drawing = false));
  }

  get empty(): boolean {
    return this.strokes === 0;
  }

  clear(): void {
    this.ctx.fillStyle = '#ffffff';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.ctx.strokeStyle = '#111111';
    this.ctx.lineWidth = 3;
    this.ctx.lineCap = 'round';
    this.ctx.lineJoin = 'round';
    this.strokes = 0;
    this.onChange();
  }

  async png(): Promise<Blob | null> {
    if (this.empty) return null;
    return new Promise((resolve) => this.canvas.toBlob(resolve, 'image/png'));
  }

  private point(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * this.canvas.width) / r.width, ((e.clientY - r.top) * this.canvas.height) / r.height];
  }

  private down(e: PointerEvent): void {
    e.preventDefault();
    try {
      this.canvas.setPointerCapture(e.pointerId); // keep the stroke when the finger leaves the pad
    } catch {
      /* a pointer that is already gone: draw without capture */
    }
    this.drawing = true;
    [this.lastX, this.lastY] = this.point(e);
  }

  private move(e: PointerEvent): void {
    if (!this.drawing) return;
    e.preventDefault();
    const [x, y] = this.point(e);
    this.ctx.beginPath();
    this.ctx.moveTo(this.lastX, this.lastY);
    this.ctx.lineTo(x, y);
    this.ctx.stroke();
    [this.lastX, this.lastY] = [x, y];
    if (this.strokes++ === 0) this.onChange();
  }
}
