import { type ReactNode, useEffect, useRef } from 'react';

/** Props of {@link ConfirmAction}. */
export interface ConfirmActionProps {
  /** The button's text, and the confirming button's ("Discard"). */
  action: string;
  /** The question asked first, as the group's legend ("Discard this change for good?"). */
  question: string;
  /** The safe answer, focused when asked ("Keep it", "Cancel"). */
  safe: string;
  /** The write it acts on, in the user's words: every button's accessible name says it. */
  what: string;
  /** True while the question is shown instead of the button. */
  asking: boolean;
  disabled?: boolean;
  onAsk: () => void;
  onCancel: () => void;
  onConfirm: () => void;
}

/**
 * A button for a step that cannot be undone, which asks first: the question is a fieldset whose legend
 * names the group for screen readers, with the safe answer focused so Enter does no harm; the safe answer
 * (or Escape) puts focus back on the button. Internal to the kit's queue; not exported from the entries.
 */
export function ConfirmAction({
  action,
  question,
  safe,
  what,
  asking,
  disabled = false,
  onAsk,
  onCancel,
  onConfirm,
}: ConfirmActionProps): ReactNode {
  const safeRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  const cancelled = useRef(false);
  // Focus moves once, when the question opens or is cancelled, not on every render: a re-render (the
  // outbox changed) must not pull focus away from the answer the user moved to.
  useEffect(() => {
    if (asking) safeRef.current?.focus();
    else if (cancelled.current) askRef.current?.focus();
    cancelled.current = false;
  }, [asking]);
  const cancel = (): void => {
    cancelled.current = true;
    onCancel();
  };
  if (!asking) {
    return (
      <button
        type="button"
        className="brownout-button brownout-button--quiet"
        ref={askRef}
        disabled={disabled}
        aria-label={`${action}: ${what}`}
        onClick={onAsk}
      >
        {action}
      </button>
    );
  }
  return (
    // Escape answers with the safe choice, as in a dialog.
    <fieldset className="brownout-queue__confirm" onKeyDown={(e) => e.key === 'Escape' && cancel()}>
      <legend>{question}</legend>
      <button
        type="button"
        className="brownout-button brownout-button--quiet"
        ref={safeRef}
        aria-label={`${safe}: ${what}`}
        onClick={cancel}
      >
        {safe}
      </button>
      <button
        type="button"
        className="brownout-button brownout-button--quiet"
        aria-label={`${action}: ${what}`}
        onClick={onConfirm}
      >
        {action}
      </button>
    </fieldset>
  );
}
