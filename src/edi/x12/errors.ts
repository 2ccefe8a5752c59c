import type { X12AckCodes, X12Issue, X12IssueScope, X12Position, X12Severity } from './types.js';

/**
 * Issue constructors. Every issue names its code, a sentence a person can act on and, where known, the exact
 * position, so `crosswalk edi parse` can point at the byte and the line.
 */
export function createIssue(
  severity: X12Severity,
  scope: X12IssueScope,
  code: string,
  message: string,
  extra: { position?: X12Position; segmentId?: string; positionInSet?: number; ack?: X12AckCodes } = {},
): X12Issue {
  const issue: X12Issue = { severity, scope, code, message };
  if (extra.position) issue.position = extra.position;
  if (extra.segmentId !== undefined) issue.segmentId = extra.segmentId;
  if (extra.positionInSet !== undefined) issue.positionInSet = extra.positionInSet;
  if (extra.ack) issue.ack = extra.ack;
  return issue;
}

/** `byte 1234, segment 17, line 9` */
export function formatPosition(position: X12Position | undefined): string {
  if (!position) return 'end of file';
  return `byte ${position.offset}, segment ${position.segment}, line ${position.line}`;
}

export function formatIssue(issue: X12Issue): string {
  const where = issue.position ? ` at ${formatPosition(issue.position)}` : '';
  return `${issue.severity.toUpperCase()} ${issue.code}${where}: ${issue.message}`;
}

export function hasErrors(issues: readonly X12Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
