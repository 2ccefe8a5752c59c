import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInside, listInbox, moveInto, prepareInbox } from '../../../connectors/distributor-edi/inbox.js';

describe('the file inbox (connectors/distributor-edi/inbox.ts) against path traversal', () => {
  it('tells paths inside the inbox from paths that climb out of it or only share its prefix', () => {
    const inbox = '/srv/crosswalk/edi/inbox';
    expect(isInside(inbox, `${inbox}/867_0001.edi`)).toBe(true);
    expect(isInside(inbox, `${inbox}/sub/../867.edi`)).toBe(true);
    expect(isInside(inbox, `${inbox}/../archive/867.edi`)).toBe(false);
    expect(isInside(inbox, `${inbox}/../../../../etc/passwd`)).toBe(false);
    expect(isInside(inbox, '/srv/crosswalk/edi/inbox-evil/867.edi')).toBe(false);
    expect(isInside(inbox, inbox)).toBe(false);
    expect(isInside(inbox, '/etc/passwd')).toBe(false);
  });

  it('lists regular files, refuses links that lead outside, and follows links that stay inside', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'crosswalk-inbox-'));
    const outside = path.join(mkdtempSync(path.join(tmpdir(), 'crosswalk-outside-')), 'secret.txt');
    writeFileSync(outside, 'not for partners');
    const dirs = await prepareInbox(root);
    writeFileSync(path.join(dirs.inbox, '867_a.edi'), 'ISA*...');
    symlinkSync(outside, path.join(dirs.inbox, 'escape.edi'));
    symlinkSync('../../../../../../../../etc/passwd', path.join(dirs.inbox, 'relative-escape.edi'));
    symlinkSync(path.join(dirs.inbox, '867_a.edi'), path.join(dirs.inbox, 'alias.edi'));
    symlinkSync(path.join(dirs.inbox, 'missing.edi'), path.join(dirs.inbox, 'broken.edi'));
    mkdirSync(path.join(dirs.inbox, 'a-directory.edi'));
    writeFileSync(path.join(dirs.inbox, 'upload.edi.part'), 'half');

    const entries = await listInbox(dirs);
    const byName = Object.fromEntries(entries.map((e) => [e.name, 'refused' in e ? 'refused' : 'read']));
    expect(byName).toEqual({ '867_a.edi': 'read', 'alias.edi': 'read', 'escape.edi': 'refused', 'relative-escape.edi': 'refused', 'broken.edi': 'refused' });
  });

  it('moves a file into a folder without ever overwriting what is there', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'crosswalk-inbox-'));
    const dirs = await prepareInbox(root);
    writeFileSync(path.join(dirs.archive, '867.edi'), 'first');
    writeFileSync(path.join(dirs.inbox, '867.edi'), 'second');
    const moved = await moveInto(path.join(dirs.inbox, '867.edi'), dirs.archive, 'abcdef0123456789');
    expect(path.basename(moved)).toBe('867.edi.abcdef01');
    expect(readFileSync(path.join(dirs.archive, '867.edi'), 'utf8')).toBe('first');
    expect(path.dirname(moved)).toBe(dirs.archive);
  });
});
