import { describe, expect, it } from 'vitest';
import { loadNicknames, nicknameEqual, parseNicknames } from '../../../src/matching/nicknames.js';

describe('nickname table', () => {
  it('treats bill and william, peggy and margaret, bob and robert as the same given name', () => {
    expect(nicknameEqual('Bill', 'william')).toBe(true);
    expect(nicknameEqual('peggy', 'Margaret')).toBe(true);
    expect(nicknameEqual('bob', 'robert')).toBe(true);
    expect(nicknameEqual('liz', 'beth')).toBe(true);
  });

  it('does not equate unrelated names or empty values', () => {
    expect(nicknameEqual('bill', 'robert')).toBe(false);
    expect(nicknameEqual('', '')).toBe(false);
  });

  it('ships a few hundred groups of common US and English given names', () => {
    const table = loadNicknames();
    const groups = new Set([...table.values()].flat());
    expect(groups.size).toBeGreaterThan(300);
  });

  it('lets a name belong to several groups', () => {
    const table = parseNicknames('# comment\nalbert,al,bert\nalan,al\n\nalfred,al,fred\n');
    expect(nicknameEqual('al', 'alan', table)).toBe(true);
    expect(nicknameEqual('al', 'alfred', table)).toBe(true);
    expect(nicknameEqual('alan', 'alfred', table)).toBe(false);
  });
});
