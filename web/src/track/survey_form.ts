// The post-delivery survey (docs/chat-and-surveys.md): 1–5 stars, an optional 0–10 "would you
// recommend" score, tags from the server's list and a comment; sent once, then a thank-you. Shown
// once the shipment is delivered; the survey link (?survey=1) scrolls to it and focuses it.
import { t } from '../i18n';
import { el } from '../shared/dom';
import { fetchSurvey, submitSurvey, type SurveyState } from './chat_api';

export class SurveyForm {
  readonly element = el('section', { class: 'card survey', 'data-testid': 'survey', 'aria-labelledby': 'survey-heading', tabindex: '-1' });
  private state: 'hidden' | 'loading' | 'shown' = 'hidden';

  constructor(
    private readonly token: string,
    private readonly fromLink: boolean,
  ) {
    this.element.hidden = true;
  }

  // Called with every view: appears once delivered.
  async show(status: string): Promise<void> {
    if (status !== 'delivered' || this.state !== 'hidden') return;
    this.state = 'loading';
    const r = await fetchSurvey(this.token);
    if (!r.ok) {
      this.state = 'hidden';
      return;
    }
    this.state = 'shown';
    this.render(r.value);
    this.element.hidden = false;
    if (this.fromLink) {
      this.element.scrollIntoView();
      this.element.focus();
    }
  }

  private render(s: SurveyState): void {
    const heading = el('h2', { id: 'survey-heading', text: t('survey.heading') });
    if (s.submitted || !s.can_submit) {
      this.element.replaceChildren(heading, el('p', { 'data-testid': 'survey-thanks', text: t('survey.thanks') }));
      return;
    }
    const stars = el('fieldset', { class: 'stars', 'data-testid': 'survey-stars' }, el('legend', { text: t('survey.stars') }));
    for (let i = 1; i <= 5; i++)
      stars.append(el('label', { class: 'star' }, el('input', { type: 'radio', name: 'stars', value: String(i), required: true }), el('span', { text: '★'.repeat(i), title: String(i) }), el('span', { class: 'visually-hidden', text: t('survey.star_n', { n: i }) })));
    const nps = el('select', { id: 'survey-nps', name: 'nps', 'data-testid': 'survey-nps' }, el('option', { value: '', text: t('survey.nps.none') }));
    for (let i = 10; i >= 0; i--) nps.append(el('option', { value: String(i), text: String(i) }));
    const tags = el('fieldset', { class: 'tags', 'data-testid': 'survey-tags' }, el('legend', { text: t('survey.tags') }));
    for (const tag of s.form.tags) tags.append(el('label', { class: 'tag' }, el('input', { type: 'checkbox', name: 'tags', value: tag }), ` ${tagLabel(tag)}`));
    const comment = el('textarea', { id: 'survey-comment', name: 'comment', rows: '3', maxlength: String(s.form.max_comment_chars), 'data-testid': 'survey-comment' });
    const message = el('p', { class: 'form-message', role: 'status', 'aria-live': 'polite', 'data-testid': 'survey-message' });
    const submit = el('button', { type: 'submit', class: 'button', text: t('survey.send'), 'data-testid': 'survey-send' });
    const form = el('form', { novalidate: true, 'data-testid': 'survey-form' }, stars, el('label', { for: 'survey-nps', text: t('survey.nps') }), nps, tags, el('label', { for: 'survey-comment', text: t('survey.comment') }), comment, submit, message);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const chosen = form.querySelector<HTMLInputElement>('input[name="stars"]:checked');
      if (!chosen) {
        message.textContent = t('survey.pick_stars');
        return;
      }
      submit.disabled = true;
      message.textContent = t('survey.sending');
      const r = await submitSurvey(this.token, {
        stars: Number(chosen.value),
        ...(nps.value !== '' ? { nps: Number(nps.value) } : {}),
        comment: comment.value.trim(),
        tags: [...form.querySelectorAll<HTMLInputElement>('input[name="tags"]:checked')].map((c) => c.value),
        source: this.fromLink ? 'link' : 'page',
      });
      submit.disabled = false;
      if (r.ok || r.code === 'conflict') this.render({ ...s, submitted: true, can_submit: false });
      else message.textContent = t('survey.failed');
    });
    this.element.replaceChildren(heading, el('p', { class: 'muted', text: t('survey.intro') }), form);
  }
}

function tagLabel(tag: string): string {
  return tag.replace(/_/g, ' ');
}
