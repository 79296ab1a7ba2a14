import type { ReactNode } from 'react';
import { useDegradation } from '../react/index.js';

/** Props of {@link Degradable}. */
export interface DegradableProps {
  /** The dependency (or dependencies) the optional part needs. */
  dependency: string | readonly string[];
  /** Shown instead while it is down. @default nothing */
  placeholder?: ReactNode;
  children?: ReactNode;
}

/**
 * An optional part of the page (recommendations, reviews) that steps aside while its dependency is down,
 * leaving a placeholder or nothing — the page around it keeps working (`partial`). It comes back as soon
 * as the dependency is up (after the store's `settleMs`, 0 by default).
 * @example
 * <Degradable dependency="recommendations" placeholder={<p>Recommendations can't be shown right now.</p>}>
 *   <Recommendations />
 * </Degradable>
 */
export function Degradable({ dependency, placeholder = null, children = null }: DegradableProps): ReactNode {
  const level = useDegradation(typeof dependency === 'string' ? [dependency] : dependency);
  return level === 'normal' ? children : placeholder;
}
