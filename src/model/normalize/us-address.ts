import { normalizeUsState, normalizeZip } from '../identifiers/postal.js';

/**
 * US address standardization in the style of USPS Publication 28. The tables are kept in code, not in
 * mappings/reference: they are part of the algorithm (position decides whether NORTH is a directional or a street
 * name, whether FRONT is a unit or a street), and the tests pin them down together.
 */

export type RawUsAddress = { line1?: string; line2?: string; city?: string; state?: string; zip?: string };
export type NormalizedUsAddress = {
  line1?: string;
  line2?: string;
  city?: string;
  state?: string;
  zip5?: string;
  zip4?: string;
  /** Sentences for a data steward: fields that were left empty or repaired. */
  issues: string[];
};

/** Publication 28 Appendix C1: standard suffix abbreviation -> other spellings seen for it. */
const STREET_SUFFIXES: Record<string, string> = {
  ALY: 'ALLEY ALLEE ALLY', ANX: 'ANNEX ANEX ANNX', ARC: 'ARCADE', AVE: 'AVENUE AV AVEN AVENU AVN AVNUE',
  BCH: 'BEACH', BLF: 'BLUFF', BLVD: 'BOULEVARD BOUL BOULV', BND: 'BEND', BR: 'BRANCH BRNCH', BRG: 'BRIDGE BRDGE',
  BRK: 'BROOK', BYP: 'BYPASS BYPA BYPAS BYPS', CIR: 'CIRCLE CIRC CIRCL CRCL CRCLE', CLF: 'CLIFF', CLB: 'CLUB',
  CMN: 'COMMON', COR: 'CORNER', CORS: 'CORNERS', CRSE: 'COURSE', CT: 'COURT CRT', CTS: 'COURTS', CV: 'COVE',
  CTR: 'CENTER CEN CENT CENTR CENTRE CNTER CNTR', CRK: 'CREEK', CRES: 'CRESCENT CRSENT CRSNT', XING: 'CROSSING CRSSNG',
  DL: 'DALE', DM: 'DAM', DR: 'DRIVE DRIV DRV', EST: 'ESTATE', ESTS: 'ESTATES', EXPY: 'EXPRESSWAY EXP EXPR EXPRESS EXPW',
  EXT: 'EXTENSION EXTN EXTNSN', FLS: 'FALLS', FRY: 'FERRY FRRY', FLD: 'FIELD', FLDS: 'FIELDS', FLT: 'FLAT',
  FRD: 'FORD', FRST: 'FOREST FORESTS', FRG: 'FORGE FORG', FRK: 'FORK', FT: 'FORT FRT', FWY: 'FREEWAY FREEWY FRWAY FRWY',
  GDN: 'GARDEN GARDN GRDEN GRDN', GDNS: 'GARDENS GRDNS', GTWY: 'GATEWAY GATEWY GATWAY GTWAY', GLN: 'GLEN',
  GRN: 'GREEN', GRV: 'GROVE GROV', HBR: 'HARBOR HARB HARBR HRBOR', HVN: 'HAVEN', HTS: 'HEIGHTS HT',
  HWY: 'HIGHWAY HIGHWY HIWAY HIWY HWAY', HL: 'HILL', HLS: 'HILLS', HOLW: 'HOLLOW HLLW HOLLOWS HOLWS', INLT: 'INLET',
  IS: 'ISLAND ISLND', ISS: 'ISLANDS ISLNDS', JCT: 'JUNCTION JCTION JCTN JUNCTN JUNCTON', KY: 'KEY', KNL: 'KNOLL KNOL',
  LK: 'LAKE', LKS: 'LAKES', LNDG: 'LANDING LNDNG', LN: 'LANE', LGT: 'LIGHT', LOOP: 'LOOPS', MALL: '', MNR: 'MANOR',
  MDW: 'MEADOW', MDWS: 'MEADOWS MEDOWS', ML: 'MILL', MLS: 'MILLS', MT: 'MOUNT MNT', MTN: 'MOUNTAIN MNTAIN MNTN MTIN',
  OVAL: 'OVL', PARK: 'PARKS', PKWY: 'PARKWAY PARKWY PKWAY PKY PARKWAYS PKWYS', PASS: '', PATH: 'PATHS', PIKE: 'PIKES',
  PNE: 'PINE', PNES: 'PINES', PL: 'PLACE', PLN: 'PLAIN', PLNS: 'PLAINS', PLZ: 'PLAZA PLZA', PT: 'POINT', PTS: 'POINTS',
  PRT: 'PORT', PR: 'PRAIRIE PRR', RADL: 'RADIAL RAD RADIEL', RNCH: 'RANCH RANCHES RNCHS', RPD: 'RAPID', RST: 'REST',
  RDG: 'RIDGE RDGE', RIV: 'RIVER RVR RIVR', RD: 'ROAD', RDS: 'ROADS', RTE: 'ROUTE', ROW: '', RUN: '',
  SHR: 'SHORE SHOAR', SHRS: 'SHORES SHOARS', SPG: 'SPRING SPNG SPRNG', SPGS: 'SPRINGS SPNGS SPRNGS',
  SQ: 'SQUARE SQR SQRE SQU', STA: 'STATION STATN STN', ST: 'STREET STRT STR', STS: 'STREETS',
  SMT: 'SUMMIT SUMIT SUMITT',
  TER: 'TERRACE TERR', TRCE: 'TRACE TRACES', TRAK: 'TRACK TRACKS TRK TRKS', TRL: 'TRAIL TRAILS TRLS',
  TPKE: 'TURNPIKE TRNPK TURNPK', UN: 'UNION', VLY: 'VALLEY VALLY VLLY', VIA: 'VIADUCT VDCT VIADCT', VW: 'VIEW',
  VLG: 'VILLAGE VILL VILLAG VILLG VILLIAGE', VIS: 'VISTA VIST VST VSTA', WALK: 'WALKS', WAY: 'WY', WLS: 'WELLS',
  WL: 'WELL',
};

const DIRECTIONALS: Record<string, string> = {
  N: 'NORTH', S: 'SOUTH', E: 'EAST', W: 'WEST', NE: 'NORTHEAST', NW: 'NORTHWEST', SE: 'SOUTHEAST', SW: 'SOUTHWEST',
};

/** Publication 28 Appendix C2 secondary unit designators: standard -> other spellings. */
const UNIT_DESIGNATORS: Record<string, string> = {
  APT: 'APARTMENT APTS', BSMT: 'BASEMENT', BLDG: 'BUILDING BLD BLDNG', DEPT: 'DEPARTMENT', FL: 'FLOOR FLR',
  FRNT: 'FRONT', HNGR: 'HANGAR', KEY: '', LBBY: 'LOBBY', LOT: '', LOWR: 'LOWER', OFC: 'OFFICE', PH: 'PENTHOUSE',
  PIER: '', REAR: '', RM: 'ROOM', SIDE: '', SLIP: '', SPC: 'SPACE', STOP: '', STE: 'SUITE SUIT STES',
  TRLR: 'TRAILER', UNIT: '', UPPR: 'UPPER', '#': '',
};

/** Every spelling (the standard form included, so standardizing twice changes nothing) -> the standard form. */
function invert(table: Record<string, string>): Map<string, string> {
  return new Map(
    Object.entries(table).flatMap(([standard, spellings]) =>
      [standard, ...spellings.split(' ').filter((s) => s !== '')].map((s): [string, string] => [s, standard]),
    ),
  );
}

const SUFFIX_LOOKUP = invert(STREET_SUFFIXES);
const DIRECTIONAL_LOOKUP = invert(DIRECTIONALS);
const UNIT_LOOKUP = invert(UNIT_DESIGNATORS);

const ORDINAL = /^(\d+)(?:ST|ND|RD|TH)$/;
const isStreetNumber = (token: string): boolean => /^\d/.test(token);
/** A house number as it starts a delivery line: 123, 123A, 12-34 (not 2ND, which starts "2ND FLOOR"). */
const isPrimaryNumber = (token: string): boolean => /^\d+(?:-\d+)?[A-Z]?$/.test(token);
/** Unit numbers hold a digit or are one letter (STE 200, BLDG A), so "1 UNIT WAY" stays a street; 2ND is no unit. */
const isUnitNumber = (token: string): boolean =>
  /^[A-Z0-9-]+$/.test(token) && (/\d/.test(token) || token.length === 1) && !ORDINAL.test(token);

/**
 * Uppercase, punctuation removed, street suffix and directionals abbreviated in their positions, unit designators
 * standardized and moved from the end of line 1 to line 2, PO BOX spellings unified, ZIP split into zip5 and zip4.
 * Idempotent: normalizing a normalized address (zip5 and zip4 joined back into zip) changes nothing.
 */
export function normalizeUsAddress(raw: RawUsAddress): NormalizedUsAddress {
  const issues: string[] = [];
  let line1 = standardizeUnits(tokenizeDeliveryLine(raw.line1));
  let line2 = standardizeUnits(tokenizeDeliveryLine(raw.line2));
  if (line1.length === 0 && line2.length > 0) {
    issues.push('Address line 1 was empty, so line 2 was used as line 1');
    [line1, line2] = [line2, []];
  } else if (UNIT_LOOKUP.has(line1[0] ?? '') && isUnitNumber(line1[1] ?? '') && isPrimaryNumber(line2[0] ?? '')) {
    issues.push('Address line 1 held the unit and line 2 the street, so they were swapped');
    [line1, line2] = [line2, line1];
  }
  const { street, units } = splitTrailingUnits(line1);
  const unitAlreadyInLine2 = line2.join(' ') === units.join(' ');

  const address: NormalizedUsAddress = { issues };
  setIfPresent(address, 'line1', standardizeStreet(street).join(' '));
  setIfPresent(address, 'line2', standardizeUnits(unitAlreadyInLine2 ? line2 : [...line2, ...units]).join(' '));
  setIfPresent(address, 'city', cleanText(raw.city));
  if (raw.state?.trim()) {
    const state = normalizeUsState(raw.state);
    if (state.ok) address.state = state.value;
    else issues.push(`${state.message} (state left empty)`);
  }
  if (raw.zip?.trim()) {
    const zip = normalizeZip(raw.zip);
    if (zip.ok) {
      const [zip5, zip4] = zip.value.split('-');
      address.zip5 = zip5;
      if (zip4) address.zip4 = zip4;
      issues.push(...(zip.warnings ?? []));
    } else issues.push(`${zip.message} (ZIP left empty)`);
  }
  return address;
}

function setIfPresent(address: NormalizedUsAddress, key: 'line1' | 'line2' | 'city', text: string): void {
  if (text !== '') address[key] = text;
}

/** Uppercases and removes the punctuation Publication 28 drops; keeps # (unit), / (1/2) and inner hyphens. */
function cleanText(line: string | undefined): string {
  return (line ?? '')
    .toUpperCase()
    .replace(/[.'’`]/g, '')
    .replace(/#/g, ' # ')
    .replace(/[^A-Z0-9#/&\s-]/g, ' ')
    .replace(/(^|\s)-+|-+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Cleans a delivery line and unifies PO BOX spellings (P.O. Box, POB, Post Office Box, Box). */
function tokenizeDeliveryLine(line: string | undefined): string[] {
  const text = cleanText(line).replace(
    /^(?:P ?O ?(?:BOX|BX|B)|POST OFFICE BOX|POST BOX|BOX) (?=[A-Z0-9]*\d)/,
    'PO BOX ',
  );
  return text === '' ? [] : text.split(' ');
}

/**
 * Standard designators wherever they introduce a unit ("SUITE 200" -> "STE 200", "2ND FLOOR" -> "FL 2"), and no #
 * after a designator ("APT # 5" -> "APT 5"): the designator already says it.
 */
function standardizeUnits(line: string[]): string[] {
  const tokens = line.filter((token, i) => !(token === '#' && UNIT_LOOKUP.has(line[i - 1] ?? '')));
  return tokens.flatMap((token, i) => {
    if (isOrdinalFloorAt(tokens, i)) return ['FL', ORDINAL.exec(token)?.[1] ?? ''];
    if (isOrdinalFloorAt(tokens, i - 1)) return [];
    const designator = UNIT_LOOKUP.get(token);
    return designator && (isUnitNumber(tokens[i + 1] ?? '') || tokens.length === 1) ? [designator] : [token];
  });
}

/** "2ND FLOOR" at `i`, unless a unit number follows (then FLOOR already has its number). */
function isOrdinalFloorAt(tokens: string[], i: number): boolean {
  return (
    ORDINAL.test(tokens[i] ?? '') && UNIT_LOOKUP.get(tokens[i + 1] ?? '') === 'FL' && !isUnitNumber(tokens[i + 2] ?? '')
  );
}

/** Peels unit designators (with their numbers) off the end of line 1: "123 MAIN ST STE 200" -> STE 200. */
function splitTrailingUnits(tokens: string[]): { street: string[]; units: string[] } {
  let end = tokens.length;
  const units: string[] = [];
  for (let unit = matchUnitAt(tokens, end); unit; unit = matchUnitAt(tokens, end)) {
    units.unshift(...unit.tokens);
    end = unit.start;
  }
  return { street: tokens.slice(0, end), units };
}

/**
 * Finds a unit ending at `end` that leaves at least a street number and name before it. A designator without a
 * number (REAR, OFC) only counts after a street suffix or directional, so "500 OCEAN FRONT" stays a street.
 */
function matchUnitAt(tokens: string[], end: number): { start: number; tokens: string[] } | undefined {
  const last = tokens[end - 1] ?? '';
  const beforeLast = tokens[end - 2] ?? '';
  const designator = UNIT_LOOKUP.get(beforeLast);
  if (designator && isUnitNumber(last) && end - 2 >= 2) return { start: end - 2, tokens: [designator, last] };
  const bare = UNIT_LOOKUP.get(last);
  const afterStreet = SUFFIX_LOOKUP.has(beforeLast) || DIRECTIONAL_LOOKUP.has(beforeLast);
  if (bare && bare !== '#' && end - 1 >= 2 && afterStreet) return { start: end - 1, tokens: [bare] };
  return undefined;
}

/**
 * Abbreviates the suffix and directionals only in their positions: NORTH in "123 NORTH ST" and AVENUE in
 * "10 AVENUE OF THE AMERICAS" are the street's name, not a directional or a suffix.
 */
function standardizeStreet(tokens: string[]): string[] {
  const out = [...tokens];
  if (out[0] === 'PO' && out[1] === 'BOX') return out;
  const nameStart = isStreetNumber(out[0] ?? '') ? 1 : 0;
  let nameEnd = out.length;
  const postDirectional = DIRECTIONAL_LOOKUP.get(out[nameEnd - 1] ?? '');
  // After a unit word (FLOOR NORTH) the directional names the unit; abbreviating it would make it look like one.
  if (postDirectional && nameEnd - nameStart >= 3 && !UNIT_LOOKUP.has(out[nameEnd - 2] ?? '')) {
    out[nameEnd - 1] = postDirectional;
    nameEnd--;
  }
  const suffix = SUFFIX_LOOKUP.get(out[nameEnd - 1] ?? '');
  if (suffix && nameEnd - 1 > nameStart) out[nameEnd - 1] = suffix;
  const preDirectional = DIRECTIONAL_LOOKUP.get(out[nameStart] ?? '');
  const wordsAfter = out.slice(nameStart + 1, nameEnd);
  const isStreetName = wordsAfter.length === 0 || (wordsAfter.length === 1 && SUFFIX_LOOKUP.has(wordsAfter[0] ?? ''));
  if (preDirectional && nameStart === 1 && !isStreetName) out[nameStart] = preDirectional;
  return out;
}
