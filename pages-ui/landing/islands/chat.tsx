/**
 * The chat capture island: the bot asks its scripted questions one at a time (with a typing
 * indicator), the visitor answers with a tap or a line of text, and the last step asks for the
 * email with the consent line. The answers ride in hidden inputs of a real form posted to the
 * page, so the server stores a chat exactly like the no-script form.
 *
 * A class component rather than hooks: preact/hooks would cost ~1 KB gzip of the 8 KB budget.
 */
import { Component, createRef } from 'preact';
import { CONSENT_FIELD, EMAIL_CAPTURE_FIELD, EMAIL_FIELD, isCheckboxTicked } from '../../../workers/domain/form-submission';
import { ButtonLabel } from '../button-label';
import { ConsentField, InputField, fieldDomId, FormMeta } from '../form-parts';
import type { ChatIslandData, FormBinding } from './props';

const TYPING_MS = 700;

type ChatIslandProps = ChatIslandData & { form: FormBinding };

interface ChatIslandState {
  /** The visitor's answers so far; their count is the current step (steps.length: the email step). */
  replies: string[];
  /** Index of the last bot line on screen; below the current step while the bot is "typing". */
  shown: number;
  draft: string;
  email: string;
  consented: boolean;
}

export class ChatIsland extends Component<ChatIslandProps, ChatIslandState> {
  private formRef = createRef<HTMLFormElement>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private replied = false;

  constructor(props: ChatIslandProps) {
    super(props);
    const { chat, values = {} } = props;
    // After a failed post the transcript is replayed at once, up to the first unanswered step.
    const resuming = Object.keys(values).length > 0;
    const answered = chat.steps.findIndex((step) => !values[step.id]);
    const replies = resuming ? chat.steps.slice(0, answered < 0 ? chat.steps.length : answered).map((step) => values[step.id]!) : [];
    this.state = {
      replies,
      shown: resuming ? replies.length : -1,
      draft: '',
      email: values[EMAIL_FIELD] ?? '',
      consented: isCheckboxTicked(values[CONSENT_FIELD]),
    };
  }

  override componentDidMount() {
    this.typeNextLine();
  }

  override componentDidUpdate(_: ChatIslandProps, previous: ChatIslandState) {
    this.typeNextLine();
    // Focus moves to the new question's controls, but only once the visitor is chatting.
    if (this.replied && this.state.shown !== previous.shown) {
      this.formRef.current?.querySelector<HTMLElement>('.chips button,.say input,.fld input')?.focus();
    }
  }

  override componentWillUnmount() {
    clearTimeout(this.timer);
  }

  /** Shows the typing indicator for a moment, then the bot's next line (at once with reduced motion). */
  private typeNextLine() {
    if (this.timer !== undefined || this.state.shown >= this.state.replies.length) return;
    const delay = matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : TYPING_MS;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.setState({ shown: this.state.replies.length });
    }, delay);
  }

  private reply(text: string) {
    this.replied = true;
    this.setState({ replies: [...this.state.replies, text], draft: '' });
  }

  private onSubmit = (event: Event) => {
    if (this.state.replies.length === this.props.chat.steps.length) return; // The email step posts the form for real.
    event.preventDefault();
    const text = this.state.draft.trim();
    if (text) this.reply(text);
  };

  override render({ chat, errors = {}, form }: ChatIslandProps, { replies, shown, draft, email, consented }: ChatIslandState) {
    const { steps } = chat;
    const current = steps[replies.length];
    const typing = shown < replies.length;
    const lines = [];
    for (let i = 0; i <= Math.min(shown, steps.length); i++) {
      lines.push(
        <p class="bub">
          <span class="sr">{`${chat.botName}: `}</span>
          {steps[i]?.prompt ?? chat.emailPrompt}
        </p>,
      );
      if (i < replies.length) {
        lines.push(
          <p class="bub me">
            <span class="sr">You: </span>
            {replies[i]}
          </p>,
        );
      }
    }
    const draftId = fieldDomId(form.blockId, current?.id ?? '');
    return (
      <>
        <div class="log" role="log" aria-live="polite">
          {lines}
          {typing && (
            <p class="bub typing">
              <span class="sr">{`${chat.botName} is typing`}</span>
              <i />
              <i />
              <i />
            </p>
          )}
        </div>
        <form ref={this.formRef} method="post" action={form.action} onSubmit={this.onSubmit}>
          <FormMeta blockId={form.blockId} token={form.token} />
          {replies.map((text, i) => (
            <input type="hidden" name={steps[i]!.id} value={text} />
          ))}
          {typing ? null : current?.kind === 'choice' ? (
            <div class="chips" role="group" aria-label={current.prompt}>
              {current.options?.map((option) => (
                <button type="button" onClick={() => this.reply(option)}>
                  <ButtonLabel text={option} />
                </button>
              ))}
            </div>
          ) : current ? (
            <div class="say">
              <label class="sr" for={draftId}>
                {current.prompt}
              </label>
              <input id={draftId} value={draft} required onInput={(event) => this.setState({ draft: event.currentTarget.value })} />
              <button type="submit" class="btn">
                Send
              </button>
            </div>
          ) : (
            <>
              <InputField
                blockId={form.blockId}
                field={EMAIL_CAPTURE_FIELD}
                value={email}
                error={errors[EMAIL_FIELD]}
                onInput={(value) => this.setState({ email: value })}
              />
              <ConsentField
                blockId={form.blockId}
                consent={chat.consent}
                checked={consented}
                error={errors[CONSENT_FIELD]}
                onChange={(checked) => this.setState({ consented: checked })}
              />
              <button type="submit" class="btn full">
                <ButtonLabel text={chat.submitLabel} />
              </button>
            </>
          )}
        </form>
      </>
    );
  }
}
