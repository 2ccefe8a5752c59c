import { createReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';
import type { FileCursor, FileInfo, FileItem } from '../../src/sdk/file-source.js';

/** One IDoc segment: its leaf fields and its child segments, in document order. */
type Segment = { name: string; fields: Record<string, string>; children: Segment[] };

/** Limits that keep a hostile or broken file from exhausting memory: an IDoc is a few kilobytes. */
const MAX_IDOC_CHARS = 4 * 1024 * 1024;

/** Partner functions: SAP's internal codes (AG, WE, RE, RG) and their English forms (SP, SH, BP, PY). */
const PARTNER_ROLES: Record<string, 'soldTo' | 'shipTo' | 'billTo' | 'payer'> = {
  AG: 'soldTo',
  SP: 'soldTo',
  WE: 'shipTo',
  SH: 'shipTo',
  RE: 'billTo',
  BP: 'billTo',
  RG: 'payer',
  PY: 'payer',
};

export class IdocRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * SAP DEBMAS IDocs in XML (DEBMAS05/06/07 ...), several per file, read as a stream: one IDoc at a time is held in
 * memory. A DOCTYPE is refused before anything in it is looked at, so DTDs, entity declarations and external
 * entities (XXE) are never processed and no file or URL they name is ever read; saxes itself only knows the five
 * predefined entities and character references.
 *
 * `skip` IDocs are passed over (a resumed run: the order is deterministic).
 */
export async function* readDebmasFile(file: FileInfo, options: { system?: string | undefined; skip: number; signal: AbortSignal }): AsyncGenerator<FileItem> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: Segment[] = [];
  let idoc: Segment | undefined;
  let idocChars = 0;
  let text = '';
  const done: Segment[] = [];
  let failure: IdocRefusedError | undefined;
  let rows = 0;

  parser.on('doctype', () => {
    throw new IdocRefusedError('erp.dtd_refused', `line ${parser.line}: the file declares a DTD (<!DOCTYPE ...>). DTDs, entity declarations and external entities are refused and never processed: export the IDocs as plain XML without a DOCTYPE.`);
  });
  parser.on('opentag', (tag) => {
    const name = tag.name.includes(':') ? tag.name.slice(tag.name.indexOf(':') + 1) : tag.name;
    text = '';
    if (name === 'IDOC') {
      idoc = { name, fields: {}, children: [] };
      idocChars = 0;
      stack.length = 0;
      stack.push(idoc);
      return;
    }
    if (!idoc) return;
    // A segment has the SEGMENT attribute; anything else inside an IDoc is a field of the open segment.
    if ('SEGMENT' in tag.attributes) {
      const segment: Segment = { name, fields: {}, children: [] };
      stack.at(-1)?.children.push(segment);
      stack.push(segment);
    }
  });
  parser.on('text', (t) => {
    if (!idoc) return;
    idocChars += t.length;
    if (idocChars > MAX_IDOC_CHARS) throw new IdocRefusedError('erp.idoc_too_large', `line ${parser.line}: an IDoc larger than ${MAX_IDOC_CHARS} characters: refused.`);
    text += t;
  });
  parser.on('closetag', (tag) => {
    const name = tag.name.includes(':') ? tag.name.slice(tag.name.indexOf(':') + 1) : tag.name;
    if (!idoc) return;
    const top = stack.at(-1);
    if (name === 'IDOC') {
      done.push(idoc);
      idoc = undefined;
      stack.length = 0;
      return;
    }
    if (top && top.name === name && stack.length > 1) {
      stack.pop();
    } else if (top) {
      top.fields[name] = text.trim();
    }
    text = '';
  });

  const emit = function* (): Generator<FileItem> {
    for (const segment of done.splice(0)) {
      rows += 1;
      if (rows <= options.skip) continue;
      const cursor: FileCursor = { offset: 0, rows };
      const built = buildCustomer(segment, file.name, options.system);
      if ('reason' in built) yield { rejected: { reasonCode: 'erp.idoc_invalid', reason: built.reason, raw: built.raw }, cursor };
      else yield { record: built, cursor };
    }
  };

  try {
    for await (const chunk of createReadStream(file.path, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
      if (options.signal.aborted) return;
      parser.write(chunk as string);
      yield* emit();
    }
    parser.close();
    yield* emit();
  } catch (error) {
    failure = error instanceof IdocRefusedError ? error : new IdocRefusedError('erp.xml_malformed', `not well-formed XML: ${(error as Error).message}`);
    // IDocs completed in the chunk that broke are whole: keep them (a refused DTD comes before any IDoc).
    if (failure.code !== 'erp.dtd_refused') yield* emit();
  }
  if (!failure) {
    if (rows === 0) yield { unusable: { code: 'erp.no_idoc', reason: 'no <IDOC> element found: is this a DEBMAS IDoc file?' } };
    return;
  }
  if (rows === 0 || failure.code === 'erp.dtd_refused') {
    yield { unusable: { code: failure.code, reason: failure.message } };
    return;
  }
  // Some IDocs were read before the file broke: keep them, and say what was lost.
  yield { rejected: { reasonCode: failure.code, reason: `${file.name}: ${failure.message} Reading stopped there: the IDocs after IDoc ${rows} were not read.`, raw: { file: file.name } }, cursor: { offset: 0, rows } };
}

const child = (s: Segment, name: string) => s.children.filter((c) => c.name === name);
const flag = (v: string | undefined) => v !== undefined && v !== '';

type Built = { sourceId: string; payload: Record<string, unknown>; deleted?: boolean } | { reason: string; raw: unknown };

function buildCustomer(idoc: Segment, fileName: string, system: string | undefined): Built {
  const control = child(idoc, 'EDI_DC40')[0];
  const kna1 = child(idoc, 'E1KNA1M')[0];
  if (!kna1) return { reason: `IDoc ${control?.fields.DOCNUM ?? '?'} in ${fileName} has no E1KNA1M segment: not a customer master IDoc.`, raw: { control: control?.fields } };
  const f = kna1.fields;
  if (!f.KUNNR) return { reason: `IDoc ${control?.fields.DOCNUM ?? '?'} in ${fileName}: E1KNA1M has no KUNNR.`, raw: { control: control?.fields, kna1: f } };
  const issuer = system ?? (control?.fields.SNDPRN || undefined) ?? 'sap';
  const companyCodes = child(kna1, 'E1KNB1M').map((s) => s.fields);
  const salesAreas = child(kna1, 'E1KNVVM');
  const partners: Array<Record<string, string>> = salesAreas.flatMap((area) => child(area, 'E1KNVPM').map((p) => ({ ...p.fields, VKORG: area.fields.VKORG ?? '', VTWEG: area.fields.VTWEG ?? '', SPART: area.fields.SPART ?? '' })));
  const credit = child(kna1, 'E1KNKKM').map((s) => s.fields);
  const roles: Record<'soldTo' | 'shipTo' | 'billTo' | 'payer', Set<string>> = { soldTo: new Set(), shipTo: new Set(), billTo: new Set(), payer: new Set() };
  for (const p of partners) {
    const role = PARTNER_ROLES[(p.PARVW ?? '').toUpperCase()];
    if (role && p.KUNN2) roles[role].add(p.KUNN2);
  }
  const salesBlocks = salesAreas.map((a) => a.fields);
  const orderBlock = f.AUFSD || salesBlocks.find((a) => a.AUFSD)?.AUFSD;
  const deliveryBlock = f.LIFSD || salesBlocks.find((a) => a.LIFSD)?.LIFSD;
  const billingBlock = f.FAKSD || salesBlocks.find((a) => a.FAKSD)?.FAKSD;
  const postingBlock = flag(f.SPERR) || companyCodes.some((c) => flag(c.SPERR));
  const creditLimit = credit.map((c) => Number(c.KLIMK)).find((n) => Number.isFinite(n));
  const creditBlocked = credit.some((c) => flag(c.CRBLB));
  const payload: Record<string, unknown> = {
    system: issuer,
    KUNNR: f.KUNNR,
    customerNumber: f.KUNNR.replace(/^0+(?=.)/, ''),
    MSGFN: f.MSGFN ?? '',
    KTOKD: f.KTOKD ?? '',
    NAME1: f.NAME1 ?? '',
    NAME2: f.NAME2 ?? '',
    NAME3: f.NAME3 ?? '',
    NAME4: f.NAME4 ?? '',
    STRAS: f.STRAS ?? '',
    ORT01: f.ORT01 ?? '',
    PSTLZ: f.PSTLZ ?? '',
    REGIO: f.REGIO ?? '',
    LAND1: f.LAND1 ?? '',
    TELF1: f.TELF1 ?? '',
    STCD1: f.STCD1 ?? '',
    STCD2: f.STCD2 ?? '',
    deletionFlag: flag(f.LOEVM) || companyCodes.some((c) => flag(c.LOEVM)) || salesBlocks.some((a) => flag(a.LOEVM)),
    postingBlock,
    orderBlock: orderBlock ?? '',
    deliveryBlock: deliveryBlock ?? '',
    billingBlock: billingBlock ?? '',
    blocked: postingBlock || flag(orderBlock) || flag(deliveryBlock) || flag(billingBlock),
    creditLimit: creditLimit ?? '',
    creditBlocked,
    creditRiskCategory: credit.find((c) => c.CTLPC)?.CTLPC ?? '',
    companyCodes: companyCodes.map((c) => c.BUKRS).filter(Boolean).join(';'),
    reconciliationAccount: companyCodes.find((c) => c.AKONT)?.AKONT ?? '',
    salesAreas: salesBlocks.map((a) => [a.VKORG, a.VTWEG, a.SPART].join('/')).join(';'),
    soldTo: [...roles.soldTo].join(';'),
    shipTo: [...roles.shipTo].join(';'),
    billTo: [...roles.billTo].join(';'),
    payer: [...roles.payer].join(';'),
    partners,
    idocNumber: control?.fields.DOCNUM ?? '',
    idocType: control?.fields.IDOCTYP ?? '',
    messageType: control?.fields.MESTYP ?? '',
    createdOn: control?.fields.CREDAT ?? '',
    file: fileName,
  };
  // MSGFN 003: the customer was deleted in the ERP.
  return { sourceId: `${issuer}:${f.KUNNR}`, payload, ...(f.MSGFN === '003' ? { deleted: true } : {}) };
}
