export type { BrownoutMessages } from './messages.js';
export { defaultMessages } from './messages.js';
export type { ProblemNoticeProps } from './ProblemNotice.js';
export { ProblemNotice } from './ProblemNotice.js';
