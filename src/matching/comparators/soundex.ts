/** American Soundex (letter + three digits; H and W do not separate equal codes). */
const CODES = '01230120022455012623010202'; // a..z

export function soundex(value: string): string {
  let out = '';
  let last = '';
  for (let i = 0; i < value.length && out.length < 4; i++) {
    let c = value.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c < 97 || c > 122) continue;
    const code = CODES[c - 97] as string;
    if (out.length === 0) {
      out = String.fromCharCode(c - 32);
      last = code;
      continue;
    }
    if (c === 104 || c === 119) continue; // h, w
    if (code === '0') {
      last = '';
      continue;
    }
    if (code !== last) out += code;
    last = code;
  }
  return out.length === 0 ? '' : (out + '000').slice(0, 4);
}
