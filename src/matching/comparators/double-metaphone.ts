/**
 * Double Metaphone (Lawrence Philips, C/C++ Users Journal, June 2000): a primary and an alternate phonetic code,
 * so that names with ambiguous origins (Smith: SM0/XMT, Schmidt: XMT/SMT) still meet on one of them.
 * Codes are truncated to 4 characters as in the reference implementation. Written from the published rules;
 * it runs once per distinct value (the encoder caches by value), never per pair.
 */
export interface DoubleMetaphoneCodes {
  primary: string;
  alternate: string;
}

const VOWELS = new Set(['A', 'E', 'I', 'O', 'U', 'Y']);
const MAX = 4;

export function doubleMetaphone(input: string): DoubleMetaphoneCodes {
  const value = input.toUpperCase().replace(/[^A-Z]/g, '');
  if (value.length === 0) return { primary: '', alternate: '' };
  let primary = '';
  let alternate = '';
  const length = value.length;
  const last = length - 1;
  const slavoGermanic = /W|K|CZ|WITZ/.test(value);

  const at = (i: number): string => (i >= 0 && i < length ? (value[i] as string) : '');
  const isVowel = (i: number): boolean => VOWELS.has(at(i));
  const contains = (start: number, len: number, ...options: string[]): boolean => {
    if (start < 0 || start + len > length) return false;
    const s = value.slice(start, start + len);
    return options.includes(s);
  };
  const add = (p: string, a: string = p): void => {
    primary += p;
    alternate += a;
  };
  const germanic = (): boolean => contains(0, 4, 'VAN ', 'VON ') || contains(0, 3, 'SCH');

  let i = 0;
  if (contains(0, 2, 'GN', 'KN', 'PN', 'WR', 'PS')) i = 1;
  if (at(0) === 'X') {
    add('S');
    i = 1;
  }

  while ((primary.length < MAX || alternate.length < MAX) && i < length) {
    const c = at(i);
    switch (c) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
      case 'Y':
        if (i === 0) add('A');
        i += 1;
        break;
      case 'B':
        add('P');
        i += at(i + 1) === 'B' ? 2 : 1;
        break;
      case 'Ç':
        add('S');
        i += 1;
        break;
      case 'C': {
        if (
          i > 1 &&
          !isVowel(i - 2) &&
          contains(i - 1, 3, 'ACH') &&
          at(i + 2) !== 'I' &&
          (at(i + 2) !== 'E' || contains(i - 2, 6, 'BACHER', 'MACHER'))
        ) {
          add('K');
          i += 2;
          break;
        }
        if (i === 0 && contains(i, 6, 'CAESAR')) {
          add('S');
          i += 2;
          break;
        }
        if (contains(i, 4, 'CHIA')) {
          add('K');
          i += 2;
          break;
        }
        if (contains(i, 2, 'CH')) {
          if (i > 0 && contains(i, 4, 'CHAE')) {
            add('K', 'X');
            i += 2;
            break;
          }
          if (
            i === 0 &&
            (contains(i + 1, 5, 'HARAC', 'HARIS') || contains(i + 1, 3, 'HOR', 'HYM', 'HIA', 'HEM')) &&
            !contains(0, 5, 'CHORE')
          ) {
            add('K');
            i += 2;
            break;
          }
          if (
            germanic() ||
            contains(i - 2, 6, 'ORCHES', 'ARCHIT', 'ORCHID') ||
            contains(i + 2, 1, 'T', 'S') ||
            ((contains(i - 1, 1, 'A', 'O', 'U', 'E') || i === 0) &&
              contains(i + 2, 1, 'L', 'R', 'N', 'M', 'B', 'H', 'F', 'V', 'W', ' '))
          ) {
            add('K');
          } else if (i > 0) {
            if (contains(0, 2, 'MC')) add('K');
            else add('X', 'K');
          } else {
            add('X');
          }
          i += 2;
          break;
        }
        if (contains(i, 2, 'CZ') && !contains(i - 2, 4, 'WICZ')) {
          add('S', 'X');
          i += 2;
          break;
        }
        if (contains(i + 1, 3, 'CIA')) {
          add('X');
          i += 3;
          break;
        }
        if (contains(i, 2, 'CC') && !(i === 1 && at(0) === 'M')) {
          if (contains(i + 2, 1, 'I', 'E', 'H') && !contains(i + 2, 2, 'HU')) {
            if ((i === 1 && at(i - 1) === 'A') || contains(i - 1, 5, 'UCCEE', 'UCCES')) add('KS');
            else add('X');
            i += 3;
            break;
          }
          add('K');
          i += 2;
          break;
        }
        if (contains(i, 2, 'CK', 'CG', 'CQ')) {
          add('K');
          i += 2;
          break;
        }
        if (contains(i, 2, 'CI', 'CE', 'CY')) {
          if (contains(i, 3, 'CIO', 'CIE', 'CIA')) add('S', 'X');
          else add('S');
          i += 2;
          break;
        }
        add('K');
        if (contains(i + 1, 2, ' C', ' Q', ' G')) i += 3;
        else if (contains(i + 1, 1, 'C', 'K', 'Q') && !contains(i + 1, 2, 'CE', 'CI')) i += 2;
        else i += 1;
        break;
      }
      case 'D':
        if (contains(i, 2, 'DG')) {
          if (contains(i + 2, 1, 'I', 'E', 'Y')) {
            add('J');
            i += 3;
          } else {
            add('TK');
            i += 2;
          }
          break;
        }
        add('T');
        i += contains(i, 2, 'DT', 'DD') ? 2 : 1;
        break;
      case 'F':
        add('F');
        i += at(i + 1) === 'F' ? 2 : 1;
        break;
      case 'G':
        if (at(i + 1) === 'H') {
          if (i > 0 && !isVowel(i - 1)) {
            add('K');
            i += 2;
            break;
          }
          if (i === 0) {
            if (at(i + 2) === 'I') add('J');
            else add('K');
            i += 2;
            break;
          }
          if (
            (i > 1 && contains(i - 2, 1, 'B', 'H', 'D')) ||
            (i > 2 && contains(i - 3, 1, 'B', 'H', 'D')) ||
            (i > 3 && contains(i - 4, 1, 'B', 'H'))
          ) {
            i += 2;
            break;
          }
          if (i > 2 && at(i - 1) === 'U' && contains(i - 3, 1, 'C', 'G', 'L', 'R', 'T')) add('F');
          else if (i > 0 && at(i - 1) !== 'I') add('K');
          i += 2;
          break;
        }
        if (at(i + 1) === 'N') {
          if (i === 1 && isVowel(0) && !slavoGermanic) add('KN', 'N');
          else if (!contains(i + 2, 2, 'EY') && at(i + 1) !== 'Y' && !slavoGermanic) add('N', 'KN');
          else add('KN');
          i += 2;
          break;
        }
        if (contains(i + 1, 2, 'LI') && !slavoGermanic) {
          add('KL', 'L');
          i += 2;
          break;
        }
        if (
          i === 0 &&
          (at(i + 1) === 'Y' || contains(i + 1, 2, 'ES', 'EP', 'EB', 'EL', 'EY', 'IB', 'IL', 'IN', 'IE', 'EI', 'ER'))
        ) {
          add('K', 'J');
          i += 2;
          break;
        }
        if (
          (contains(i + 1, 2, 'ER') || at(i + 1) === 'Y') &&
          !contains(0, 6, 'DANGER', 'RANGER', 'MANGER') &&
          !contains(i - 1, 1, 'E', 'I') &&
          !contains(i - 1, 3, 'RGY', 'OGY')
        ) {
          add('K', 'J');
          i += 2;
          break;
        }
        if (contains(i + 1, 1, 'E', 'I', 'Y') || contains(i - 1, 4, 'AGGI', 'OGGI')) {
          if (germanic() || contains(i + 1, 2, 'ET')) add('K');
          else if (contains(i + 1, 4, 'IER ')) add('J');
          else add('J', 'K');
          i += 2;
          break;
        }
        add('K');
        i += at(i + 1) === 'G' ? 2 : 1;
        break;
      case 'H':
        if ((i === 0 || isVowel(i - 1)) && isVowel(i + 1)) {
          add('H');
          i += 2;
        } else {
          i += 1;
        }
        break;
      case 'J':
        if (contains(i, 4, 'JOSE') || contains(0, 4, 'SAN ')) {
          if ((i === 0 && at(i + 4) === ' ') || contains(0, 4, 'SAN ')) add('H');
          else add('J', 'H');
          i += 1;
          break;
        }
        if (i === 0 && !contains(i, 4, 'JOSE')) add('J', 'A');
        else if (isVowel(i - 1) && !slavoGermanic && (at(i + 1) === 'A' || at(i + 1) === 'O')) add('J', 'H');
        else if (i === last) add('J', '');
        else if (!contains(i + 1, 1, 'L', 'T', 'K', 'S', 'N', 'M', 'B', 'Z') && !contains(i - 1, 1, 'S', 'K', 'L')) add('J');
        i += at(i + 1) === 'J' ? 2 : 1;
        break;
      case 'K':
        add('K');
        i += at(i + 1) === 'K' ? 2 : 1;
        break;
      case 'L':
        if (at(i + 1) === 'L') {
          if (
            (i === length - 3 && contains(i - 1, 4, 'ILLO', 'ILLA', 'ALLE')) ||
            ((contains(last - 1, 2, 'AS', 'OS') || contains(last, 1, 'A', 'O')) && contains(i - 1, 4, 'ALLE'))
          ) {
            add('L', '');
            i += 2;
            break;
          }
          i += 2;
        } else {
          i += 1;
        }
        add('L');
        break;
      case 'M':
        add('M');
        if ((contains(i - 1, 3, 'UMB') && (i + 1 === last || contains(i + 2, 2, 'ER'))) || at(i + 1) === 'M') i += 2;
        else i += 1;
        break;
      case 'N':
        add('N');
        i += at(i + 1) === 'N' ? 2 : 1;
        break;
      case 'Ñ':
        add('N');
        i += 1;
        break;
      case 'P':
        if (at(i + 1) === 'H') {
          add('F');
          i += 2;
          break;
        }
        add('P');
        i += contains(i + 1, 1, 'P', 'B') ? 2 : 1;
        break;
      case 'Q':
        add('K');
        i += at(i + 1) === 'Q' ? 2 : 1;
        break;
      case 'R':
        if (i === last && !slavoGermanic && contains(i - 2, 2, 'IE') && !contains(i - 4, 2, 'ME', 'MA')) add('', 'R');
        else add('R');
        i += at(i + 1) === 'R' ? 2 : 1;
        break;
      case 'S':
        if (contains(i - 1, 3, 'ISL', 'YSL')) {
          i += 1;
          break;
        }
        if (i === 0 && contains(i, 5, 'SUGAR')) {
          add('X', 'S');
          i += 1;
          break;
        }
        if (contains(i, 2, 'SH')) {
          if (contains(i + 1, 4, 'HEIM', 'HOEK', 'HOLM', 'HOLZ')) add('S');
          else add('X');
          i += 2;
          break;
        }
        if (contains(i, 3, 'SIO', 'SIA') || contains(i, 4, 'SIAN')) {
          if (!slavoGermanic) add('S', 'X');
          else add('S');
          i += 3;
          break;
        }
        if ((i === 0 && contains(i + 1, 1, 'M', 'N', 'L', 'W')) || contains(i + 1, 1, 'Z')) {
          add('S', 'X');
          i += contains(i + 1, 1, 'Z') ? 2 : 1;
          break;
        }
        if (contains(i, 2, 'SC')) {
          if (at(i + 2) === 'H') {
            if (contains(i + 3, 2, 'OO', 'ER', 'EN', 'UY', 'ED', 'EM')) {
              if (contains(i + 3, 2, 'ER', 'EN')) add('X', 'SK');
              else add('SK');
              i += 3;
              break;
            }
            if (i === 0 && !isVowel(3) && at(3) !== 'W') add('X', 'S');
            else add('X');
            i += 3;
            break;
          }
          if (contains(i + 2, 1, 'I', 'E', 'Y')) add('S');
          else add('SK');
          i += 3;
          break;
        }
        if (i === last && contains(i - 2, 2, 'AI', 'OI')) add('', 'S');
        else add('S');
        i += contains(i + 1, 1, 'S', 'Z') ? 2 : 1;
        break;
      case 'T':
        if (contains(i, 4, 'TION') || contains(i, 3, 'TIA', 'TCH')) {
          add('X');
          i += 3;
          break;
        }
        if (contains(i, 2, 'TH') || contains(i, 3, 'TTH')) {
          if (contains(i + 2, 2, 'OM', 'AM') || germanic()) add('T');
          else add('0', 'T');
          i += 2;
          break;
        }
        add('T');
        i += contains(i + 1, 1, 'T', 'D') ? 2 : 1;
        break;
      case 'V':
        add('F');
        i += at(i + 1) === 'V' ? 2 : 1;
        break;
      case 'W':
        if (contains(i, 2, 'WR')) {
          add('R');
          i += 2;
          break;
        }
        if (i === 0 && (isVowel(i + 1) || contains(i, 2, 'WH'))) {
          if (isVowel(i + 1)) add('A', 'F');
          else add('A');
        }
        if ((i === last && isVowel(i - 1)) || contains(i - 1, 5, 'EWSKI', 'EWSKY', 'OWSKI', 'OWSKY') || contains(0, 3, 'SCH')) {
          add('', 'F');
          i += 1;
          break;
        }
        if (contains(i, 4, 'WICZ', 'WITZ')) {
          add('TS', 'FX');
          i += 4;
          break;
        }
        i += 1;
        break;
      case 'X':
        if (!(i === last && (contains(i - 3, 3, 'IAU', 'EAU') || contains(i - 2, 2, 'AU', 'OU')))) add('KS');
        i += contains(i + 1, 1, 'C', 'X') ? 2 : 1;
        break;
      case 'Z':
        if (at(i + 1) === 'H') {
          add('J');
          i += 2;
          break;
        }
        if (contains(i + 1, 2, 'ZO', 'ZI', 'ZA') || (slavoGermanic && i > 0 && at(i - 1) !== 'T')) add('S', 'TS');
        else add('S');
        i += at(i + 1) === 'Z' ? 2 : 1;
        break;
      default:
        i += 1;
    }
  }
  return { primary: primary.slice(0, MAX), alternate: alternate.slice(0, MAX) };
}
