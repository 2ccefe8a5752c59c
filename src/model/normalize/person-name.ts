/**
 * Person-name parsing for physician records. The tables live here rather than in mappings/reference because the
 * parser's rules (position decides whether `MS` is a prefix or a credential) are code, not configuration.
 */

export type PersonName = {
  prefix?: string;
  first?: string;
  middle?: string;
  last?: string;
  /** Generational suffix: JR, SR, II, III, IV, V. */
  suffix?: string;
  /** Uppercase, without dots, in the order written: `['MD', 'PHD']`. */
  credentials: string[];
};

const PREFIXES: Record<string, string> = {
  DR: 'DR', DOCTOR: 'DR', MR: 'MR', MRS: 'MRS', MS: 'MS', MISS: 'MISS', MX: 'MX', PROF: 'PROF', PROFESSOR: 'PROF',
  REV: 'REV', FR: 'FR', HON: 'HON', CAPT: 'CAPT', COL: 'COL', MAJ: 'MAJ', LT: 'LT', CDR: 'CDR', GEN: 'GEN',
};

const GENERATIONAL_SUFFIXES: Record<string, string> = {
  JR: 'JR', JUNIOR: 'JR', SR: 'SR', SENIOR: 'SR', II: 'II', '2ND': 'II', III: 'III', '3RD': 'III',
  IV: 'IV', '4TH': 'IV', V: 'V', '5TH': 'V',
};

// MA, BA and BS are left out on purpose: they are also surnames and given names (Ma, Ba) far more often.
const CREDENTIALS = new Set(
  `MD DO MBBS MBCHB NP PA PA-C RN LPN LVN APRN CNP CRNA CNM CNS DNP FNP FNP-C FNP-BC ANP ACNP PNP NP-C PHARMD RPH
   DDS DMD DPM OD PHD PSYD EDD DC DPT PT OT OTR DVM AUD MPH MS MSN BSN MBA MHA MSW LCSW LMFT LPC RD CCC-SLP JD ESQ
   FACP FACC FACS FAAP FACOG FACEP FAAFP FCCP FASN FACE FAHA FAAN`.split(/\s+/),
);

/** Lowercase words that start a compound surname: de la Cruz, van der Berg, St Clair. */
const SURNAME_PARTICLES = new Set(
  'DE DA DEL DELLA DELA DI DOS DAS DU LA LE VAN VON DER DEN TER TEN BIN AL EL ST SAINT SAN SANTA'.split(' '),
);

const toKey = (token: string): string => token.toUpperCase().replace(/\./g, '');
const isSuffix = (token: string): boolean => toKey(token) in GENERATIONAL_SUFFIXES;
const isCredential = (token: string): boolean => CREDENTIALS.has(toKey(token));
const isSuffixOrCredential = (token: string): boolean => isSuffix(token) || isCredential(token);

/**
 * Splits free credential text (NPPES `Provider Credential Text`, Veeva `Credentials_vod__c`) into codes:
 * `M.D., Ph.D.` -> `['MD', 'PHD']`. Unknown codes are kept (uppercased) because the text is known to hold
 * credentials; pieces written apart (`M. D.`) are joined when together they spell a known credential.
 */
export function splitCredentials(text: string): string[] {
  const tokens = text.split(/[\s,;/&]+/).map(toKey).filter((t) => t !== '');
  const credentials: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let token = tokens[i] ?? '';
    if (!CREDENTIALS.has(token)) {
      for (let end = Math.min(tokens.length, i + 3); end > i + 1; end--) {
        const joined = tokens.slice(i, end).join('');
        if (CREDENTIALS.has(joined)) {
          token = joined;
          i = end - 1;
          break;
        }
      }
    }
    if (!credentials.includes(token)) credentials.push(token);
  }
  return credentials;
}

/**
 * Trims, drops periods (A. -> A), collapses spaces and title-cases each word and each hyphenated part (Mary-Ann),
 * with O'Neil and McDonald capitalisation. A word a person already capitalised inside (MacDonald, DeShawn) is kept:
 * rules cannot tell Macdonald from MacDonald, but the person who typed it could.
 */
export function normalizeNamePart(s: string): string {
  return s
    .normalize('NFC')
    .replace(/[’‘`´]/g, "'")
    .replace(/\./g, '')
    .trim()
    .split(/\s+/)
    .map((word) => word.split('-').map(capitalizeNameWord).join('-'))
    .join(' ');
}

function capitalizeNameWord(word: string): string {
  const elided = /^(\p{L})'(\p{L}.*)$/u.exec(word);
  if (elided) return `${(elided[1] ?? '').toUpperCase()}'${capitalizeNameWord(elided[2] ?? '')}`;
  const cased = /^\p{Lu}\p{Ll}/u.test(word) ? word : word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
  return cased.replace(/^Mc(\p{Ll})/u, (_, letter: string) => `Mc${letter.toUpperCase()}`);
}

/**
 * Parses "SMITH, JOHN A MD", "Dr. John A. Smith Jr., MD, PhD", "John Smith III", "mary-ann o'neil do" and
 * "SMITH JR, JOHN". A comma means "Last, First Middle" unless everything after it is suffixes and credentials.
 * Trailing suffixes and credentials are only peeled while a first and last name remain, so "John Do" keeps its
 * surname. Name parts come back title-cased; prefix, suffix and credentials as uppercase codes.
 */
export function parsePersonName(input: string): PersonName {
  const segments = input
    .normalize('NFC')
    .split(',')
    .map((segment) => segment.trim().split(/\s+/).filter((t) => t !== ''))
    .filter((tokens) => tokens.length > 0);
  const name: PersonName = { credentials: [] };
  const [head, ...rest] = segments;
  if (!head) return name;

  const firstNameAt = rest.findIndex((tokens) => !tokens.every(isSuffixOrCredential));
  const trailing = rest.filter((_, i) => i !== firstNameAt);
  let lastTokens: string[];
  let givenTokens: string[];
  if (firstNameAt < 0) {
    const tokens = peelTrailing(name, peelPrefix(name, head, 1), 2, isSuffixOrCredential);
    const lastStart = findSurnameStart(tokens);
    lastTokens = tokens.slice(lastStart);
    givenTokens = tokens.slice(0, lastStart);
  } else {
    lastTokens = peelTrailing(name, head, 1, isSuffixOrCredential);
    // The surname is known, so "SMITH, DR" is all prefix; a lone V after a first name is a middle initial.
    const given = peelPrefix(name, rest[firstNameAt] ?? [], 0);
    givenTokens = peelTrailing(name, given, 1, (t) => isCredential(t) || (isSuffix(t) && toKey(t) !== 'V'));
  }
  for (const segment of trailing) {
    for (const code of splitCredentials(segment.join(' '))) addSuffixOrCredential(name, code);
  }

  const [first, ...middle] = givenTokens;
  if (first) name.first = normalizeNamePart(first);
  if (middle.length > 0) name.middle = normalizeNamePart(middle.join(' '));
  if (lastTokens.length > 0) name.last = normalizeNamePart(lastTokens.join(' '));
  return name;
}

/** Removes title prefixes from the front while more than `keep` tokens remain, recording the first on `name`. */
function peelPrefix(name: PersonName, tokens: string[], keep: number): string[] {
  let start = 0;
  while (tokens.length - start > keep && PREFIXES[toKey(tokens[start] ?? '')]) {
    name.prefix ??= PREFIXES[toKey(tokens[start] ?? '')];
    start++;
  }
  return tokens.slice(start);
}

/** Removes recognised tokens from the end while more than `keep` tokens remain, recording them on `name`. */
function peelTrailing(name: PersonName, tokens: string[], keep: number, isPeelable: (t: string) => boolean): string[] {
  let end = tokens.length;
  while (end > keep && isPeelable(tokens[end - 1] ?? '')) end--;
  tokens.slice(end).forEach((token) => addSuffixOrCredential(name, toKey(token)));
  return tokens.slice(0, end);
}

function addSuffixOrCredential(name: PersonName, code: string): void {
  const suffix = GENERATIONAL_SUFFIXES[code];
  if (suffix) name.suffix ??= suffix;
  else if (!name.credentials.includes(code)) name.credentials.push(code);
}

/** Index where the surname starts in natural order: the last token plus any particles before it (not the first). */
function findSurnameStart(tokens: string[]): number {
  if (tokens.length <= 1) return 0;
  let start = tokens.length - 1;
  while (start > 1 && SURNAME_PARTICLES.has(toKey(tokens[start - 1] ?? ''))) start--;
  return start;
}
