import {
  cloneElement,
  isValidElement,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
  useId,
} from 'react';
import { useCanWrite } from '../react/index.js';
import { useUIText } from './BrownoutUIProvider.js';
import { type DeepPartialMessages, format } from './messages.js';

/** What a guarded control gets: spread it on the control (render-function form). */
export interface GuardedControlProps {
  /** `true` in read-only mode: the control stays focusable, so its explanation can be read. */
  readonly 'aria-disabled'?: 'true';
  /** The id of the explanation, while there is one. */
  readonly 'aria-describedby'?: string;
  /** `send`, `queue` or `read-only`. */
  readonly 'data-write-mode': 'send' | 'queue' | 'read-only';
}

/** Props of {@link WriteGuard}. */
export interface WriteGuardProps {
  /** The dependency the write goes to. */
  dependency: string;
  /**
   * When the dependency is down: `auto` lets writes through to be queued when its policy queues them
   * (`writes: 'queue'`) and is read-only otherwise; `read-only` always disables the control.
   * @default 'auto'
   */
  whenDown?: 'auto' | 'read-only';
  /**
   * One control element (a `<button>`), or a function that gets {@link GuardedControlProps} and returns
   * the control (for components that do not pass unknown props through).
   */
  children: ReactElement<Record<string, unknown>> | ((props: GuardedControlProps) => ReactNode);
  messages?: DeepPartialMessages;
}

/**
 * Wraps a write control. While `dependency` is up it changes nothing. While it is down the control
 * is either read-only — `aria-disabled` (it stays focusable and its clicks are swallowed) with the reason
 * linked by `aria-describedby` — or, when the dependency queues writes, left working with a note that the
 * change will be sent when it is back. The mode is in `data-write-mode` on the control.
 * @example
 * <WriteGuard dependency="orders"><button onClick={addToCart}>Add to cart</button></WriteGuard>
 */
export function WriteGuard({
  dependency,
  whenDown = 'auto',
  children,
  messages,
}: WriteGuardProps): ReactNode {
  const { mode } = useCanWrite(dependency);
  const { messages: m, label } = useUIText(messages);
  const id = useId();
  const writeMode =
    mode === 'send' ? 'send' : mode === 'queue' && whenDown === 'auto' ? 'queue' : 'read-only';
  const props: GuardedControlProps =
    writeMode === 'send'
      ? { 'data-write-mode': 'send' }
      : writeMode === 'queue'
        ? { 'data-write-mode': 'queue', 'aria-describedby': id }
        : { 'data-write-mode': 'read-only', 'aria-describedby': id, 'aria-disabled': 'true' };
  let control: ReactNode;
  if (typeof children === 'function') {
    control = children(props);
  } else if (isValidElement(children)) {
    const own = children.props;
    const onClick = own.onClick as ((event: MouseEvent) => void) | undefined;
    const describedBy = [own['aria-describedby'], props['aria-describedby']].filter(Boolean).join(' ');
    control = cloneElement(children, {
      ...props,
      ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      onClick:
        writeMode === 'read-only'
          ? (event: MouseEvent) => {
              event.preventDefault();
            }
          : onClick,
    });
  } else {
    control = children;
  }
  if (writeMode === 'send') return control;
  return (
    <span className="brownout-guard" data-write-mode={writeMode}>
      {control}
      {/* Queued: the banner already says it to everyone; the control still tells who focuses it. */}
      <span id={id} className={writeMode === 'queue' ? 'brownout-visually-hidden' : 'brownout-guard__reason'}>
        {format(writeMode === 'queue' ? m.willQueue : m.readOnly, { dependency: label(dependency) })}
      </span>
    </span>
  );
}

/** Props of {@link ReadOnlyGuard}. */
export type ReadOnlyGuardProps = Omit<WriteGuardProps, 'whenDown'>;

/**
 * A {@link WriteGuard} that is always read-only while `dependency` is down, even when it could queue
 * (for writes that must not wait, such as a payment).
 * @example
 * <ReadOnlyGuard dependency="payments"><button onClick={pay}>Pay now</button></ReadOnlyGuard>
 */
export function ReadOnlyGuard(props: ReadOnlyGuardProps): ReactNode {
  return <WriteGuard {...props} whenDown="read-only" />;
}
