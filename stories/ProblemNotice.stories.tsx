import type { Meta, StoryObj } from '@storybook/react-vite';
import { HttpResponse, http } from 'msw';
import { useEffect, useState } from 'react';
import { expect, within } from 'storybook/test';
import { BrownoutError, createClient } from '../src/index.js';
import { ProblemNotice } from '../src/ui/index.js';

const meta = {
  title: 'Kit/ProblemNotice',
  component: ProblemNotice,
  args: { label: 'Pricing' },
} satisfies Meta<typeof ProblemNotice>;
export default meta;
type Story = StoryObj<typeof meta>;

const err = (
  kind: BrownoutError['kind'],
  extra: Partial<ConstructorParameters<typeof BrownoutError>[0]> = {},
) =>
  new BrownoutError({
    kind,
    code: kind,
    message: 'x',
    dependency: 'pricing',
    correlationId: '4bf92f3577b34da6a3ce929d0e0e4736',
    ...extra,
  });

/** Each kind of failure, in the words a user reads. */
export const Timeout: Story = { args: { error: err('timeout', { retriable: true }), onRetry: () => {} } };
export const Network: Story = { args: { error: err('network', { retriable: true }), onRetry: () => {} } };
export const BreakerOpen: Story = { args: { error: err('breaker-open') } };
export const ServerError: Story = {
  args: {
    // Server text stays out of the headline: a 500 body with SQL in it never reaches the user.
    error: err('http', { status: 500, detail: "ERROR: relation 'prices' does not exist" }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('alert')).toHaveAttribute('data-kind', 'http');
    await expect(canvasElement.textContent).not.toContain('relation');
  },
};

function LivePricing() {
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const client = createClient({
      dependencies: { pricing: { retry: { baseMs: 1, capMs: 5 }, timeouts: { totalMs: 5_000 } } },
    });
    client.json('pricing', '/api/prices').then(() => setError(null), setError);
    return () => client.dispose();
  }, []);
  return error ? <ProblemNotice error={error} label="Pricing" /> : <p>Loading prices…</p>;
}

/** A real client against an MSW outage: three attempts, then the notice with the support code. */
export const LiveOutage: Story = {
  args: { error: null },
  render: () => <LivePricing />,
  parameters: {
    msw: {
      handlers: [
        http.get('/api/prices', () =>
          HttpResponse.json(
            { type: 'https://example.test/problems/maintenance', title: 'Pricing is down', status: 503 },
            { status: 503, headers: { 'content-type': 'application/problem+json' } },
          ),
        ),
      ],
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const alert = await canvas.findByRole('alert', {}, { timeout: 4_000 });
    await expect(alert).toHaveAttribute('data-kind', 'http');
    await expect(alert).toHaveAttribute('data-status', '503');
    await expect(alert).toHaveTextContent('Pricing could not complete the request');
    await expect(alert).toHaveTextContent(/Support code: [0-9a-f]{32}/);
  },
};
