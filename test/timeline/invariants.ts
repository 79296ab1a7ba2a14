/**
 * Invariants over a recorded run: each returns its violations, every one naming the second it happened.
 * They read only what the harness recorded (frames, live transcript, server log), never the product's
 * internals, so they keep meaning the same thing while the product changes underneath.
 */
import { type Frame, headersMsOf, type Run, type ServerRequest } from './harness.js';

export type Invariant = ((run: Run) => string[]) & { readonly label: string };

const invariant = (label: string, check: (run: Run) => string[]): Invariant =>
  Object.assign(check, { label });

const SECOND = 1000;
const sec = (ms: number): number => Math.floor(ms / SECOND);
const quote = (text: string, width = 90): string =>
  JSON.stringify(text.length > width ? `${text.slice(0, width - 1)}…` : text);

/**
 * Per-second findings merged, per key, over consecutive seconds ("t=41–45s: …", with the first second's
 * text), in the order of their first second.
 */
function collapse(found: readonly { t: number; key: string; text: string }[]): string[] {
  const spans: { from: number; to: number; key: string; text: string }[] = [];
  const open = new Map<string, { from: number; to: number; key: string; text: string }>();
  for (const f of [...found].sort((a, b) => a.t - b.t)) {
    const span = open.get(f.key);
    if (span && (f.t === span.to || f.t === span.to + 1)) {
      span.to = f.t;
      continue;
    }
    const next = { from: f.t, to: f.t, key: f.key, text: f.text };
    open.set(f.key, next);
    spans.push(next);
  }
  return spans.map((s) => `${s.from === s.to ? `t=${s.from}s` : `t=${s.from}–${s.to}s`}: ${s.text}`);
}

/** What a sighted user sees in a frame: banner and notices. */
const screen = (f: Frame): string[] => [f.banner, ...f.notices].filter(Boolean);

const labelsIn = (run: Run, text: string): string[] =>
  Object.values(run.labels).filter((label) => new RegExp(`\\b${label}\\b`, 'i').test(text));

/** An announcement that something is fine again. */
export const RECOVERED = /working again|up to date again|back to normal|\bis back\b|\bare back\b/i;
/** Text that puts an outage on a service. */
export const BLAMES_A_SERVICE = /unavailable|not responding|problem with the service|working on it/i;

/** A request the server answered as a server that is up does (a 4xx is an answer, not an outage). */
const answered = (r: ServerRequest): boolean =>
  r.reached &&
  r.endedAt !== undefined &&
  (r.outcome === 'ok' ||
    (r.outcome === 'error' &&
      r.status !== undefined &&
      r.status < 500 &&
      r.status !== 429 &&
      r.status !== 408));

/**
 * When each of `deps` was up again, not before `fromMs` (the second the server became healthy, or the
 * network came back): the first good answer after its last failure at the server (5xx, 429, a stall, a
 * request given up on), since the app cannot know before a request goes through; `fromMs` for one that never
 * failed at the server (offline only: the browser says when the network is back). `missing`: never again.
 */
export function recoveryOf(run: Run, fromMs: number, deps: readonly string[]) {
  const at: Record<string, number> = {};
  const missing: string[] = [];
  const endOfRun = run.scenario.seconds * SECOND;
  for (const dep of deps) {
    const ended = run.requests
      .filter((r) => r.dependency === dep && r.reached && r.endedAt !== undefined)
      .sort((a, b) => a.endedAt! - b.endedAt!);
    const failures = ended.filter((r) => !answered(r) && r.outcome !== 'offline' && r.endedAt! < endOfRun);
    const lastFailure = failures.at(-1)?.endedAt;
    if (lastFailure === undefined) {
      at[dep] = fromMs;
      continue;
    }
    const first = ended.find((r) => answered(r) && r.endedAt! >= lastFailure);
    if (first) at[dep] = Math.max(first.endedAt!, fromMs);
    else missing.push(dep);
  }
  return { at, missing };
}

/** Dependencies that were in trouble at some point: not normal, writes waiting, or failing at the server. */
export const affected = (run: Run): string[] =>
  run.dependencies.filter(
    (d) =>
      run.frames.some((f) => f.levels[d] !== 'normal' || (d === 'orders' && f.pendingWrites > 0)) ||
      run.requests.some((r) => r.dependency === d && r.reached && r.endedAt !== undefined && !answered(r)),
  );

/**
 * From `graceSeconds` after the affected dependencies answered again (on or after `fromSecond`, when the
 * server became healthy), no banner and no degraded notice (stale, expired, placeholder, waiting writes).
 */
export const noDegradedTextAfterRecovery = (fromSecond: number, graceSeconds = 1): Invariant =>
  invariant(`noDegradedTextAfterRecovery(${fromSecond}, ${graceSeconds})`, (run) => {
    const deps = affected(run);
    const { at, missing } = recoveryOf(run, fromSecond * SECOND, deps);
    const out = missing.map(
      (d) =>
        `t≥${fromSecond}s: ${run.labels[d]} never answered well again after its last failure, so it never recovered`,
    );
    const recovered = Math.max(fromSecond * SECOND, ...Object.values(at));
    const from = Math.ceil(recovered / SECOND) + graceSeconds;
    const found: { t: number; key: string; text: string }[] = [];
    for (const f of run.frames) {
      if (f.t < from) continue;
      if (f.banner) {
        found.push({
          t: f.t,
          key: 'banner',
          text: `banner still shown after recovery at t=${sec(recovered)}s: ${quote(f.banner)}`,
        });
      }
      for (const n of f.degradedNotices) {
        found.push({
          t: f.t,
          key: `notice ${n.replace(/\d+/g, '#')}`,
          text: `degraded notice still shown after recovery at t=${sec(recovered)}s: ${quote(n)}`,
        });
      }
    }
    return [...out, ...collapse(found)];
  });

/**
 * Some announcement at or after `fromSecond` says `label` is fine again (`pattern`, by default "working
 * again" / "up to date again" …); one that names dependencies must name this one.
 */
export const recoveryAnnounced = (
  fromSecond: number,
  label: string,
  pattern: RegExp = RECOVERED,
): Invariant =>
  invariant(`recoveryAnnounced(${fromSecond}, ${label})`, (run) => {
    const after = run.transcript.filter((a) => a.at >= fromSecond * SECOND && a.text);
    const ok = after.some((a) => {
      if (!pattern.test(a.text)) return false;
      const named = labelsIn(run, a.text);
      return named.length === 0 || named.includes(label);
    });
    if (ok) return [];
    const heard = after.map((a) => `t=${sec(a.at)}s ${quote(a.text, 60)}`).join(', ') || 'nothing';
    return [`t≥${fromSecond}s: no announcement that ${label} is working again (heard: ${heard})`];
  });

/**
 * No two announcements within `seconds` of each other: per dependency for texts that name one, across the
 * app for texts that name none.
 */
export const atMostOneAnnouncementPer = (seconds = 5): Invariant =>
  invariant(`atMostOneAnnouncementPer(${seconds})`, (run) => {
    const last = new Map<string, { at: number; text: string }>();
    const out: string[] = [];
    for (const a of run.transcript) {
      if (!a.text) continue;
      const named = labelsIn(run, a.text);
      for (const group of named.length ? named : ['the app']) {
        const before = last.get(group);
        if (before && a.at - before.at < seconds * SECOND) {
          out.push(
            `t=${sec(a.at)}s: ${quote(a.text, 60)} only ${((a.at - before.at) / SECOND).toFixed(1)} s after ${quote(before.text, 60)} (t=${sec(before.at)}s) for ${group}`,
          );
        }
        last.set(group, { at: a.at, text: a.text });
      }
    }
    return out;
  });

/** No "working again" followed within `seconds` by a degraded announcement about the same thing (flapping). */
export const noWorkingAgainBeforeFailureWithin = (seconds: number): Invariant =>
  invariant(`noWorkingAgainBeforeFailureWithin(${seconds})`, (run) => {
    const said = run.transcript.filter((a) => a.text);
    const out: string[] = [];
    said.forEach((a, i) => {
      if (!RECOVERED.test(a.text)) return;
      const named = labelsIn(run, a.text);
      const relapse = said
        .slice(i + 1)
        .find(
          (b) =>
            b.at - a.at < seconds * SECOND &&
            !RECOVERED.test(b.text) &&
            (named.length === 0 ||
              labelsIn(run, b.text).length === 0 ||
              labelsIn(run, b.text).some((l) => named.includes(l))),
        );
      if (relapse) {
        out.push(
          `t=${sec(a.at)}s: ${quote(a.text, 60)}, then t=${sec(relapse.at)}s: ${quote(relapse.text, 60)} (within ${seconds} s)`,
        );
      }
    });
    return out;
  });

/**
 * A recovery is said only once it has held: for `seconds` before each "working again" / "up to date again",
 * nothing on screen spoke of the parts it names.
 */
export const recoveryHeldBeforeTold = (seconds: number): Invariant =>
  invariant(`recoveryHeldBeforeTold(${seconds})`, (run) => {
    const out: string[] = [];
    for (const a of run.transcript) {
      if (!a.text || !RECOVERED.test(a.text)) continue;
      const named = labelsIn(run, a.text);
      const shown = run.frames.find(
        (f) =>
          f.t * SECOND > a.at - seconds * SECOND &&
          f.t * SECOND <= a.at &&
          screen(f).some((text) => named.some((l) => text.includes(l))),
      );
      if (shown) {
        out.push(
          `t=${sec(a.at)}s: ${quote(a.text, 60)}, but t=${shown.t}s showed ${quote(screen(shown).join(' '), 60)}`,
        );
      }
    }
    return out;
  });

/** At most `count` announcements in the whole run: a flapping part is not told each time it flips. */
export const announcementsAtMost = (count: number): Invariant =>
  invariant(`announcementsAtMost(${count})`, (run) => {
    const said = run.transcript.filter((a) => a.text);
    return said.length > count
      ? [
          `${said.length} announcements: ${said.map((a) => `t=${sec(a.at)}s ${quote(a.text, 30)}`).join('; ')}`,
        ]
      : [];
  });

/**
 * While offline (from its second second on), no text puts the outage on a service, and some text says the
 * device is offline.
 */
export const whileOfflineNoTextBlamesAService = invariant('whileOfflineNoTextBlamesAService', (run) => {
  const found: { t: number; key: string; text: string }[] = [];
  for (const f of run.frames) {
    const period = run.offline.find((p) => p.from <= f.t * SECOND && f.t * SECOND < p.to);
    if (!period || f.t * SECOND - period.from < SECOND) continue;
    const heard = run.transcript
      .filter((a) => a.text && a.at > (f.t - 1) * SECOND && a.at <= f.t * SECOND)
      .map((a) => a.text);
    for (const text of [...screen(f), ...heard]) {
      if (BLAMES_A_SERVICE.test(text)) {
        found.push({
          t: f.t,
          key: `blame ${text.replace(/\d+/g, '#')}`,
          text: `offline, yet says ${quote(text)}`,
        });
      }
    }
    const all = [...screen(f), f.live.polite, f.live.assertive];
    if (!all.some((text) => /offline/i.test(text))) {
      found.push({
        t: f.t,
        key: 'silent',
        text: 'offline, and nothing on screen or in the live region says so',
      });
    }
  }
  return collapse(found);
});

/**
 * No request while the page is hidden (or the device offline), and right after it is back at most one per
 * dependency in the first second (a probe, not a storm).
 */
export const noRequestsWhile = (state: 'hidden' | 'offline'): Invariant =>
  invariant(`noRequestsWhile(${state})`, (run) => {
    const periods = state === 'hidden' ? run.hidden : run.offline;
    const found: { t: number; key: string; text: string }[] = [];
    for (const p of periods) {
      const during = run.requests.filter((r) => r.at >= p.from && r.at < p.to);
      const bySecond = new Map<number, ServerRequest[]>();
      for (const r of during) bySecond.set(sec(r.at), [...(bySecond.get(sec(r.at)) ?? []), r]);
      for (const [t, rs] of bySecond) {
        found.push({
          t,
          key: 'during',
          text: `${rs.length} request(s) while ${state}: ${rs.map((r) => `${r.method} ${r.dependency}`).join(', ')}`,
        });
      }
      if (p.to >= run.scenario.seconds * SECOND) continue;
      const back = run.requests.filter((r) => r.at >= p.to && r.at < p.to + SECOND);
      for (const dep of new Set(back.map((r) => r.dependency))) {
        const n = back.filter((r) => r.dependency === dep).length;
        if (n > 1) {
          found.push({
            t: sec(p.to),
            key: `back ${dep}`,
            text: `${n} requests to ${dep} in the first second back (at most 1 probe)`,
          });
        }
      }
    }
    return collapse(found);
  });
export const noRequestsWhileOffline = noRequestsWhile('offline');

/** Whenever the banner says "Trying again…", a request to a waiting dependency is in flight or just went out. */
export const trueCountdown = invariant('trueCountdown', (run) => {
  const found: { t: number; key: string; text: string }[] = [];
  for (const f of run.frames) {
    if (!/trying again/i.test(f.banner)) continue;
    const now = f.t * SECOND;
    // The banner may count down for any dependency that is not normal; the one that is due is the one.
    const waiting: string[] = run.dependencies.filter(
      (d) => f.levels[d] !== 'normal' || f.retryAt[d] !== undefined,
    );
    const due = waiting.filter((d) => f.retryAt[d] !== undefined && f.retryAt[d]! <= now);
    const deps = due.length ? due : waiting;
    const live = run.requests.some(
      (r) =>
        deps.includes(r.dependency) &&
        r.at <= now &&
        (r.at > now - SECOND || r.endedAt === undefined || r.endedAt >= now),
    );
    if (!live) {
      found.push({
        t: f.t,
        key: deps.join(),
        text: `banner says "Trying again…" but nothing to ${deps.join(', ')} is in flight or was sent since t=${f.t - 1}s`,
      });
    }
  }
  return collapse(found);
});

const UNITS: Readonly<Record<string, number>> = {
  second: SECOND,
  minute: 60 * SECOND,
  hour: 3600 * SECOND,
  day: 86_400 * SECOND,
};

/** "14 minutes ago" → 14 minutes; "now" → 0 s; "yesterday" → 1 day; a future time → undefined. */
export function parseAge(text: string): { value: number; unit: string } | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'now') return { value: 0, unit: 'second' };
  if (t === 'yesterday') return { value: 1, unit: 'day' };
  const m = /^(\d+|an?|one)\s+(second|minute|hour|day)s?\s+ago$/.exec(t);
  if (!m) return undefined;
  return { value: /^\d+$/.test(m[1]!) ? Number(m[1]) : 1, unit: m[2]! };
}

/** A shown age (in a visible page) is within one of its unit of the real age of the last complete successful body. */
export const ageIsTheBodys = invariant('ageIsTheBodys', (run) => {
  const found: { t: number; key: string; text: string }[] = [];
  for (const f of run.frames) {
    // A hidden tab does no ticking work (nobody can read it); it must be right again once visible.
    if (!f.visible) continue;
    const now = f.t * SECOND;
    for (const age of f.ages) {
      const shown = parseAge(age.text);
      if (!shown) continue;
      const unitMs = UNITS[shown.unit]!;
      const real = age.dependencies.map((d) => {
        const last = run.bodies.filter((b) => b.dependency === d && b.at <= now).at(-1);
        return { d, ageMs: last === undefined ? undefined : now - last.at };
      });
      const ok = real.some((r) => r.ageMs !== undefined && Math.abs(shown.value - r.ageMs / unitMs) <= 1);
      if (ok) continue;
      const truth = real
        .map((r) =>
          r.ageMs === undefined
            ? `${r.d}: no body ever completed`
            : `${r.d}'s last body is ${Math.round(r.ageMs / SECOND)} s old`,
        )
        .join('; ');
      found.push({
        t: f.t,
        key: `${age.where} ${age.dependencies.join()}`,
        text: `${age.where} shows ${quote(age.text)}, but ${truth}`,
      });
    }
  }
  return collapse(found);
});

/**
 * Every write the app made took effect on the server exactly once by the end, sent under one idempotency
 * key, and writes to a dependency took effect in the order they were made.
 */
export const writesExactlyOnce = invariant('writesExactlyOnce', (run) => {
  const out: string[] = [];
  for (const w of run.writes) {
    const sent = run.requests.filter((r) => r.writeTag === w.tag && r.reached);
    const keys = new Set(sent.map((r) => r.idempotencyKey));
    if (keys.has(undefined)) out.push(`t=${sec(w.at)}s: write ${w.tag} was sent without an idempotency key`);
    if (keys.size > 1) out.push(`t=${sec(w.at)}s: write ${w.tag} was sent under ${keys.size} different keys`);
    const effects = run.effects.filter((e) => e.tag === w.tag);
    if (effects.length !== 1) {
      out.push(
        `t=${sec(w.at)}s: write ${w.tag} took effect ${effects.length} times by the end (${w.outcome}, ${sent.length} request(s) reached the server)`,
      );
    }
  }
  for (const dep of new Set(run.writes.map((w) => w.dependency))) {
    const made = run.writes.filter((w) => w.dependency === dep);
    const firstEffect = (tag: string): number => run.effects.findIndex((e) => e.tag === tag);
    const done = made.filter((w) => firstEffect(w.tag) >= 0);
    for (let i = 1; i < done.length; i++) {
      const a = done[i - 1]!;
      const b = done[i]!;
      if (firstEffect(b.tag) < firstEffect(a.tag)) {
        out.push(`t=${sec(b.at)}s: write ${b.tag} took effect before ${a.tag} (made at t=${sec(a.at)}s)`);
      }
    }
  }
  return out;
});

/** What a dependency does, in the banner's words, when it need not be named ("your changes will be sent later"). */
export const CAPABILITIES: Readonly<Record<string, RegExp>> = {
  orders: /\bchanges?\b[^.]*\b(sent|saved|send)\b/i,
};

/**
 * At every second, each dependency that is not normal is named in the banner (its label, or the sentence
 * for what it does: `capabilities`).
 */
export const eachOutageTold = (capabilities: Readonly<Record<string, RegExp>> = CAPABILITIES): Invariant =>
  invariant('eachOutageTold', (run) => {
    const found: { t: number; key: string; text: string }[] = [];
    for (const f of run.frames) {
      for (const d of run.dependencies) {
        const level = f.levels[d] ?? 'normal';
        if (level === 'normal') continue;
        const label = run.labels[d] ?? d;
        const told = new RegExp(`\\b${label}\\b`, 'i').test(f.banner) || capabilities[d]?.test(f.banner);
        if (!told) {
          found.push({
            t: f.t,
            key: `${d} ${level}`,
            text: `${label} is ${level}, but the banner does not say so: ${quote(f.banner || '(no banner)', 160)}`,
          });
        }
      }
    }
    return collapse(found);
  });

/**
 * Once a request has waited more than half its headersMs, within `withinSeconds` some text says it is slow.
 * Only requests the user waits for: one sent while its dependency is already degraded (a probe behind a
 * banner that says so) is not a wait.
 */
export const slowIsTold = (withinSeconds = 1, pattern = /taking longer than usual/i): Invariant =>
  invariant(`slowIsTold(${withinSeconds})`, (run) => {
    const found: { t: number; key: string; text: string }[] = [];
    const told = (f: Frame): boolean =>
      [...screen(f), f.live.polite, f.live.assertive].some((text) => pattern.test(text));
    for (const r of run.requests) {
      if (!r.reached) continue;
      const sentIn = run.frames.find((f) => f.t === sec(r.at));
      if (sentIn && sentIn.levels[r.dependency] !== 'normal') continue;
      const slowAt = r.at + headersMsOf(r.dependency) / 2;
      const endedAt = r.endedAt ?? Number.POSITIVE_INFINITY;
      if (endedAt <= slowAt) continue;
      // The frames while it was still waiting, up to withinSeconds after it became slow.
      const window = run.frames.filter(
        (f) =>
          f.t * SECOND >= slowAt &&
          f.t * SECOND <= slowAt + withinSeconds * SECOND &&
          f.t * SECOND <= endedAt,
      );
      if (window.length === 0 || window.some(told)) continue;
      found.push({
        t: window[0]!.t,
        key: r.dependency,
        text: `${r.method} ${r.dependency} (sent t=${(r.at / SECOND).toFixed(1)}s) waits past ${headersMsOf(r.dependency) / 2} ms and nothing says it is taking longer than usual`,
      });
    }
    return collapse(found);
  });

/** After a `Retry-After: S` answer, nothing is sent to that dependency for S seconds. */
export const respectsRetryAfter = invariant('respectsRetryAfter', (run) => {
  const out: string[] = [];
  for (const r of run.requests) {
    if (r.retryAfterS === undefined || r.endedAt === undefined) continue;
    const until = r.endedAt + r.retryAfterS * SECOND;
    const early = run.requests.filter(
      (o) => o.dependency === r.dependency && o.reached && o.at > r.endedAt! && o.at < until,
    );
    for (const o of early) {
      out.push(
        `t=${sec(o.at)}s: ${o.method} ${o.dependency} sent ${((o.at - r.endedAt) / SECOND).toFixed(1)} s into a ${r.retryAfterS} s Retry-After (asked at t=${sec(r.endedAt)}s)`,
      );
    }
  }
  return [...new Set(out)];
});

/** While writes wait in a memory-only outbox, some notice says they would be lost (`pattern`). */
export const memoryOnlyWarned = (pattern = /only in this tab|los(e|t)/i): Invariant =>
  invariant('memoryOnlyWarned', (run) => {
    if (!run.scenario.memoryOnly) return [];
    const found = run.frames
      .filter((f) => f.pendingWrites > 0 && !f.notices.some((n) => pattern.test(n)))
      .map((f) => ({
        t: f.t,
        key: 'silent',
        text: `${f.pendingWrites} write(s) wait in memory only and no notice says they would be lost`,
      }));
    return collapse(found);
  });

/** A page that goes away with writes kept only in memory first asks the user to stay (beforeunload). */
export const unloadGuarded = invariant('unloadGuarded', (run) => {
  if (!run.scenario.memoryOnly) return [];
  return run.reloads
    .filter((r) => r.pendingWrites.length > 0 && !r.unloadPrevented)
    .map(
      (r) =>
        `t=${sec(r.at)}s: the page went away with ${r.pendingWrites.length} write(s) (${r.pendingWrites.join(', ')}) kept only in memory, and beforeunload did not ask to stay`,
    );
});

/** Within `withinSeconds` of each answer with `status`, some visible text matches `pattern`. */
export const toldAfterStatus = (status: number, pattern: RegExp, withinSeconds = 1): Invariant =>
  invariant(`toldAfterStatus(${status}, ${pattern})`, (run) => {
    const out: string[] = [];
    for (const r of run.requests) {
      if (r.status !== status || r.endedAt === undefined) continue;
      const from = Math.ceil(r.endedAt / SECOND);
      const window = run.frames.filter((f) => f.t >= from && f.t <= from + withinSeconds);
      if (!window.some((f) => [...screen(f), f.live.polite, f.live.assertive].some((t) => pattern.test(t)))) {
        const shown = window.at(-1);
        out.push(
          `t=${sec(r.endedAt)}s: ${r.method} ${r.dependency} got ${status} and nothing says ${pattern} (shown: ${quote(shown ? screen(shown).join(' / ') : '')})`,
        );
      }
    }
    return out;
  });

const PERMANENT = (status: number | undefined): boolean =>
  status !== undefined && status >= 400 && status < 500 && ![408, 409, 425, 429].includes(status);

/** A write refused with a permanent 4xx is never sent again under the same key by itself. */
/**
 * A write refused for good (a 4xx) is not sent again under its key — except a 401/403 once the user signed
 * in again (`signedInAt`, in seconds): then the waiting write goes, once.
 */
export const noResendAfterPermanentFailureBut = (signedInAt?: number): Invariant =>
  invariant(
    `noResendAfterPermanentFailure${signedInAt === undefined ? '' : `(sign-in ${signedInAt})`}`,
    (run) => {
      const out: string[] = [];
      for (const r of run.requests) {
        if (!PERMANENT(r.status) || r.idempotencyKey === undefined || r.endedAt === undefined) continue;
        const auth = r.status === 401 || r.status === 403;
        const again = run.requests.filter(
          (o) =>
            o.idempotencyKey === r.idempotencyKey &&
            o.at > r.endedAt! &&
            o.reached &&
            !(auth && signedInAt !== undefined && o.at >= signedInAt * 1000),
        );
        for (const o of again) {
          out.push(
            `t=${sec(o.at)}s: ${o.method} ${o.dependency} resent under the same key after a ${r.status} at t=${sec(r.endedAt)}s`,
          );
        }
      }
      return out;
    },
  );
export const noResendAfterPermanentFailure = noResendAfterPermanentFailureBut();

/** Every write that never took effect is, at the end, shown to the user as not sent (`pattern`). */
export const writesAccountedFor = (
  pattern = /could not be sent|could not complete|not sent|sign in/i,
): Invariant =>
  invariant('writesAccountedFor', (run) => {
    const last = run.frames.at(-1);
    const shown = last ? screen(last) : [];
    return run.writes
      .filter((w) => !run.effects.some((e) => e.tag === w.tag))
      .filter(() => !shown.some((text) => pattern.test(text)))
      .map(
        (w) =>
          `t=${sec(w.at)}s: write ${w.tag} (${w.outcome}) never took effect, and at the end nothing says so (shown: ${quote(shown.join(' / '))})`,
      );
  });

/** From `fromSecond` on, the read of `dep` shows a value (but in the `reloadGrace` seconds after a reload). */
export const valueShown = (dep: string, fromSecond: number, reloadGrace = 1): Invariant =>
  invariant(`valueShown(${dep}, ${fromSecond})`, (run) => {
    const found = run.frames
      .filter((f) => f.t >= fromSecond)
      .filter((f) => !run.reloads.some((r) => f.t >= sec(r.at) && f.t <= sec(r.at) + reloadGrace))
      .filter((f) => !f.values[dep])
      .map((f) => ({
        t: f.t,
        key: 'none',
        text: `${run.labels[dep]} shows no value (${quote(screen(f).join(' / ') || '(nothing)')})`,
      }));
    return collapse(found);
  });

/** While `dep` is `cached`, its age is on screen (banner or its notice). */
export const ageShownWhileCached = (dep: string): Invariant =>
  invariant(`ageShownWhileCached(${dep})`, (run) =>
    collapse(
      run.frames
        .filter((f) => f.levels[dep] === 'cached' && !f.ages.some((a) => a.dependencies.includes(dep)))
        .map((f) => ({
          t: f.t,
          key: 'none',
          text: `${run.labels[dep]} is cached but no age is shown (${quote(f.banner || '(no banner)')})`,
        })),
    ),
  );

/**
 * The banner does not flicker: once it appears it stays `seconds` at least, and once gone it does not come
 * back within `seconds` (words may change; its presence may not blink).
 */
export const noFlicker = (seconds = 2): Invariant =>
  invariant(`noFlicker(${seconds})`, (run) => {
    const out: string[] = [];
    let since = 0;
    let shown = false;
    let changedAt: number | undefined;
    for (const f of run.frames) {
      const now = Boolean(f.banner);
      if (now === shown) continue;
      if (changedAt !== undefined && f.t - since < seconds) {
        out.push(
          `t=${f.t}s: the banner ${now ? 'came back' : 'went away'} ${f.t - since} s after it ${now ? 'went away' : 'appeared'}`,
        );
      }
      changedAt = f.t;
      since = f.t;
      shown = now;
    }
    return out;
  });

/**
 * No announcement is cut off: a live region's text is not replaced within `seconds` of being set (a screen
 * reader reads the region's latest text; what was replaced in between is never heard).
 */
export const noAnnouncementCutOff = (seconds = 2): Invariant =>
  invariant(`noAnnouncementCutOff(${seconds})`, (run) => {
    const out: string[] = [];
    for (const region of ['polite', 'assertive'] as const) {
      const said = run.transcript.filter((a) => a.region === region);
      said.forEach((a, i) => {
        const next = said[i + 1];
        if (!a.text || !next || next.at - a.at >= seconds * SECOND) return;
        out.push(
          `t=${sec(a.at)}s: ${quote(a.text, 60)} replaced after ${((next.at - a.at) / SECOND).toFixed(2)} s by ${quote(next.text || '(silence)', 60)}`,
        );
      });
    }
    return out.sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
  });

export interface Verdict {
  readonly label: string;
  readonly violations: readonly string[];
}

/** Runs every invariant on `run`. */
export const check = (run: Run, invariants: readonly Invariant[]): Verdict[] =>
  invariants.map((inv) => ({ label: inv.label, violations: inv(run) }));

/** The failing invariants with their first `shown` violations, the passing ones by name, then the table. */
export function report(run: Run, verdicts: readonly Verdict[], shown = 3): string {
  const lines = verdicts.flatMap(({ label, violations }) =>
    violations.length === 0
      ? [`✓ ${label}`]
      : [
          `✗ ${label} (${violations.length})`,
          ...violations.slice(0, shown).map((v) => `    ${v}`),
          ...(violations.length > shown ? [`    … ${violations.length - shown} more`] : []),
        ],
  );
  return [`${run.scenario.name}:`, ...lines, '', run.table()].join('\n');
}
