// Components for bench/renders.tsx, at module level (React treats components made inside a function as
// new types on each call). They count their renders in `counts`.
import { Profiler } from 'react';
import { useDependency } from '../src/react/index.js';
import { StaleDataNotice } from '../src/ui/index.js';

export const counts = { grid: 0, parent: 0, noticeCommits: 0, dependency: new Map<string, number>() };

function DependencyView({ name }: { name: string }) {
  const state = useDependency(name);
  counts.dependency.set(name, (counts.dependency.get(name) ?? 0) + 1);
  return (
    <span data-level={state?.level} data-health={state?.health}>
      {name}
    </span>
  );
}

/** 100 components, each reading one dependency. */
export function Grid({ names }: { names: readonly string[] }) {
  counts.grid++;
  return (
    <div>
      {names.map((n) => (
        <DependencyView key={n} name={n} />
      ))}
    </div>
  );
}

const onNoticeCommit = (): void => {
  counts.noticeCommits++;
};

/** The parent of 50 stale-data notices: it must not render as their ages tick. */
export function NoticeParent({ urls }: { urls: readonly string[] }) {
  counts.parent++;
  return (
    <section>
      {urls.map((url) => (
        <Profiler key={url} id={url} onRender={onNoticeCommit}>
          <StaleDataNotice dependency="pricing" freshnessKey={`GET ${url}`} />
        </Profiler>
      ))}
    </section>
  );
}
