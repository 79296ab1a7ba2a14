import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ReadOnlyGuard, WriteGuard } from '../../src/entries/react.js';
import { renderIn } from './support.js';

describe('WriteGuard and ReadOnlyGuard', () => {
  test('up: the control is left as it is', async () => {
    const click = vi.fn();
    await renderIn(
      'normal',
      <WriteGuard dependency="orders">
        <button type="button" onClick={click}>
          Add to cart
        </button>
      </WriteGuard>,
    );
    const button = screen.getByRole('button', { name: 'Add to cart' });
    expect(button).not.toHaveAttribute('aria-disabled');
    expect(button).toHaveAttribute('data-write-mode', 'send');
    await userEvent.click(button);
    expect(click).toHaveBeenCalledTimes(1);
  });

  test('down and queuing: the control works, described as "will be saved and sent later"', async () => {
    const click = vi.fn();
    await renderIn(
      'minimal',
      <WriteGuard dependency="orders">
        <button type="button" onClick={click}>
          Add to cart
        </button>
      </WriteGuard>,
    );
    const button = screen.getByRole('button', { name: 'Add to cart' });
    expect(button).toHaveAttribute('data-write-mode', 'queue');
    expect(button).toHaveAccessibleDescription(
      "Orders can't be reached right now: your change will be saved and sent later.",
    );
    await userEvent.click(button);
    expect(click).toHaveBeenCalledTimes(1);
  });

  test('read-only: aria-disabled, still focusable, clicks swallowed, the reason linked by aria-describedby', async () => {
    const click = vi.fn();
    await renderIn(
      'minimal',
      <ReadOnlyGuard dependency="orders">
        <button type="button" onClick={click} aria-describedby="hint">
          Pay now
        </button>
      </ReadOnlyGuard>,
    );
    const button = screen.getByRole('button', { name: 'Pay now' });
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(button).toHaveAttribute('data-write-mode', 'read-only');
    expect(button.getAttribute('aria-describedby')).toMatch(/^hint \S+$/);
    await userEvent.tab();
    expect(button).toHaveFocus();
    await userEvent.click(button);
    await userEvent.keyboard('{Enter}');
    expect(click).not.toHaveBeenCalled();
  });

  test('a dependency that does not queue is read-only while down; the render-function form gets the props', async () => {
    const p = await renderIn(
      'normal',
      <WriteGuard dependency="pricing">{(props) => <input aria-label="Price" {...props} />}</WriteGuard>,
    );
    p.set('pricing', 'down');
    await act(() => p.read('pricing'));
    const input = screen.getByRole('textbox', { name: 'Price' });
    expect(input).toHaveAttribute('aria-disabled', 'true');
    expect(input).toHaveAccessibleDescription("Pricing can't be changed right now.");
  });
});
