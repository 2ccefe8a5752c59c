/**
 * Fixed reference tables for the generator: US states with population weights, ZIP prefix ranges, area codes and
 * real cities; specialties with NUCC taxonomy codes; products for the Rx file. Real cities are listed per state so a
 * generated address never puts Akron in California; the ZIP is drawn from the state's real 3-digit prefix ranges,
 * so city, state and ZIP agree plausibly (the exact ZIP is not the city's real one).
 */

export interface StateInfo {
  readonly code: string;
  readonly name: string;
  /** Rough population in millions, used as the draw weight. */
  readonly weight: number;
  /** Inclusive ranges of the first three ZIP digits. */
  readonly zip3: ReadonlyArray<readonly [number, number]>;
  readonly areaCodes: readonly string[];
  readonly cities: readonly string[];
}

export const STATES: readonly StateInfo[] = [
  { code: 'AL', name: 'Alabama', weight: 5.1, zip3: [[350, 369]], areaCodes: ['205', '251', '256', '334'], cities: ['Birmingham', 'Montgomery', 'Huntsville', 'Mobile', 'Tuscaloosa', 'Dothan'] },
  { code: 'AK', name: 'Alaska', weight: 0.7, zip3: [[995, 999]], areaCodes: ['907'], cities: ['Anchorage', 'Fairbanks', 'Juneau', 'Wasilla'] },
  { code: 'AZ', name: 'Arizona', weight: 7.4, zip3: [[850, 865]], areaCodes: ['602', '480', '520', '623', '928'], cities: ['Phoenix', 'Tucson', 'Mesa', 'Scottsdale', 'Chandler', 'Flagstaff', 'Tempe'] },
  { code: 'AR', name: 'Arkansas', weight: 3.0, zip3: [[716, 729]], areaCodes: ['501', '479', '870'], cities: ['Little Rock', 'Fayetteville', 'Fort Smith', 'Jonesboro', 'Conway'] },
  { code: 'CA', name: 'California', weight: 39.0, zip3: [[900, 961]], areaCodes: ['213', '310', '415', '408', '619', '714', '916', '510', '818', '909', '559'], cities: ['Los Angeles', 'San Diego', 'San Jose', 'San Francisco', 'Sacramento', 'Fresno', 'Oakland', 'Long Beach', 'Irvine', 'Pasadena', 'Riverside', 'Santa Monica', 'Torrance', 'Walnut Creek'] },
  { code: 'CO', name: 'Colorado', weight: 5.8, zip3: [[800, 816]], areaCodes: ['303', '720', '719', '970'], cities: ['Denver', 'Colorado Springs', 'Aurora', 'Fort Collins', 'Boulder', 'Lakewood'] },
  { code: 'CT', name: 'Connecticut', weight: 3.6, zip3: [[60, 69]], areaCodes: ['203', '860'], cities: ['Hartford', 'New Haven', 'Stamford', 'Bridgeport', 'Norwalk', 'Danbury'] },
  { code: 'DE', name: 'Delaware', weight: 1.0, zip3: [[197, 199]], areaCodes: ['302'], cities: ['Wilmington', 'Dover', 'Newark'] },
  { code: 'DC', name: 'District of Columbia', weight: 0.7, zip3: [[200, 205]], areaCodes: ['202'], cities: ['Washington'] },
  { code: 'FL', name: 'Florida', weight: 22.0, zip3: [[320, 349]], areaCodes: ['305', '407', '813', '904', '954', '561', '727', '352'], cities: ['Miami', 'Orlando', 'Tampa', 'Jacksonville', 'Fort Lauderdale', 'Gainesville', 'Tallahassee', 'Sarasota', 'Boca Raton', 'St. Petersburg'] },
  { code: 'GA', name: 'Georgia', weight: 11.0, zip3: [[300, 319]], areaCodes: ['404', '770', '678', '912', '706'], cities: ['Atlanta', 'Savannah', 'Augusta', 'Macon', 'Athens', 'Marietta'] },
  { code: 'HI', name: 'Hawaii', weight: 1.4, zip3: [[967, 968]], areaCodes: ['808'], cities: ['Honolulu', 'Hilo', 'Kailua'] },
  { code: 'ID', name: 'Idaho', weight: 1.9, zip3: [[832, 838]], areaCodes: ['208'], cities: ['Boise', 'Idaho Falls', 'Meridian', 'Pocatello'] },
  { code: 'IL', name: 'Illinois', weight: 12.5, zip3: [[600, 629]], areaCodes: ['312', '773', '847', '630', '708', '217', '309'], cities: ['Chicago', 'Evanston', 'Naperville', 'Peoria', 'Springfield', 'Rockford', 'Oak Park', 'Champaign'] },
  { code: 'IN', name: 'Indiana', weight: 6.8, zip3: [[460, 479]], areaCodes: ['317', '219', '812', '260'], cities: ['Indianapolis', 'Fort Wayne', 'Evansville', 'South Bend', 'Carmel', 'Bloomington'] },
  { code: 'IA', name: 'Iowa', weight: 3.2, zip3: [[500, 528]], areaCodes: ['515', '319', '563'], cities: ['Des Moines', 'Cedar Rapids', 'Iowa City', 'Davenport', 'Ames'] },
  { code: 'KS', name: 'Kansas', weight: 2.9, zip3: [[660, 679]], areaCodes: ['316', '913', '785'], cities: ['Wichita', 'Overland Park', 'Topeka', 'Lawrence', 'Olathe'] },
  { code: 'KY', name: 'Kentucky', weight: 4.5, zip3: [[400, 427]], areaCodes: ['502', '859', '606', '270'], cities: ['Louisville', 'Lexington', 'Bowling Green', 'Owensboro', 'Covington'] },
  { code: 'LA', name: 'Louisiana', weight: 4.6, zip3: [[700, 714]], areaCodes: ['504', '225', '318', '337'], cities: ['New Orleans', 'Baton Rouge', 'Shreveport', 'Lafayette', 'Metairie'] },
  { code: 'ME', name: 'Maine', weight: 1.4, zip3: [[39, 49]], areaCodes: ['207'], cities: ['Portland', 'Bangor', 'Lewiston', 'Augusta'] },
  { code: 'MD', name: 'Maryland', weight: 6.2, zip3: [[206, 219]], areaCodes: ['410', '301', '443'], cities: ['Baltimore', 'Bethesda', 'Rockville', 'Silver Spring', 'Annapolis', 'Columbia', 'Frederick'] },
  { code: 'MA', name: 'Massachusetts', weight: 7.0, zip3: [[10, 27]], areaCodes: ['617', '508', '781', '978', '413'], cities: ['Boston', 'Worcester', 'Springfield', 'Cambridge', 'Newton', 'Burlington', 'Framingham', 'Lowell'] },
  { code: 'MI', name: 'Michigan', weight: 10.0, zip3: [[480, 499]], areaCodes: ['313', '248', '616', '517', '734'], cities: ['Detroit', 'Ann Arbor', 'Grand Rapids', 'Lansing', 'Southfield', 'Troy', 'Kalamazoo'] },
  { code: 'MN', name: 'Minnesota', weight: 5.7, zip3: [[550, 567]], areaCodes: ['612', '651', '952', '763', '218'], cities: ['Minneapolis', 'St. Paul', 'Rochester', 'Duluth', 'Edina', 'Bloomington'] },
  { code: 'MS', name: 'Mississippi', weight: 2.9, zip3: [[386, 397]], areaCodes: ['601', '662', '228'], cities: ['Jackson', 'Gulfport', 'Hattiesburg', 'Tupelo'] },
  { code: 'MO', name: 'Missouri', weight: 6.2, zip3: [[630, 658]], areaCodes: ['314', '816', '417', '573'], cities: ['St. Louis', 'Kansas City', 'Springfield', 'Columbia', 'Chesterfield'] },
  { code: 'MT', name: 'Montana', weight: 1.1, zip3: [[590, 599]], areaCodes: ['406'], cities: ['Billings', 'Missoula', 'Bozeman', 'Great Falls'] },
  { code: 'NE', name: 'Nebraska', weight: 2.0, zip3: [[680, 693]], areaCodes: ['402', '308'], cities: ['Omaha', 'Lincoln', 'Kearney', 'Grand Island'] },
  { code: 'NV', name: 'Nevada', weight: 3.2, zip3: [[889, 898]], areaCodes: ['702', '775'], cities: ['Las Vegas', 'Reno', 'Henderson', 'Carson City'] },
  { code: 'NH', name: 'New Hampshire', weight: 1.4, zip3: [[30, 38]], areaCodes: ['603'], cities: ['Manchester', 'Nashua', 'Concord', 'Lebanon'] },
  { code: 'NJ', name: 'New Jersey', weight: 9.3, zip3: [[70, 89]], areaCodes: ['201', '732', '973', '908', '856', '609'], cities: ['Newark', 'Hackensack', 'Princeton', 'New Brunswick', 'Morristown', 'Camden', 'Paramus', 'Toms River'] },
  { code: 'NM', name: 'New Mexico', weight: 2.1, zip3: [[870, 884]], areaCodes: ['505', '575'], cities: ['Albuquerque', 'Santa Fe', 'Las Cruces', 'Roswell'] },
  { code: 'NY', name: 'New York', weight: 19.5, zip3: [[100, 149]], areaCodes: ['212', '718', '516', '914', '585', '716', '315', '518', '631'], cities: ['New York', 'Brooklyn', 'Bronx', 'Rochester', 'Buffalo', 'Syracuse', 'Albany', 'White Plains', 'Mineola', 'Staten Island'] },
  { code: 'NC', name: 'North Carolina', weight: 10.7, zip3: [[270, 289]], areaCodes: ['704', '919', '336', '910', '828'], cities: ['Charlotte', 'Raleigh', 'Durham', 'Greensboro', 'Chapel Hill', 'Winston-Salem', 'Asheville'] },
  { code: 'ND', name: 'North Dakota', weight: 0.8, zip3: [[580, 588]], areaCodes: ['701'], cities: ['Fargo', 'Bismarck', 'Grand Forks'] },
  { code: 'OH', name: 'Ohio', weight: 11.8, zip3: [[430, 459]], areaCodes: ['216', '614', '513', '419', '330', '937'], cities: ['Columbus', 'Cleveland', 'Cincinnati', 'Toledo', 'Akron', 'Dayton', 'Canton'] },
  { code: 'OK', name: 'Oklahoma', weight: 4.0, zip3: [[730, 749]], areaCodes: ['405', '918'], cities: ['Oklahoma City', 'Tulsa', 'Norman', 'Edmond'] },
  { code: 'OR', name: 'Oregon', weight: 4.2, zip3: [[970, 979]], areaCodes: ['503', '541', '971'], cities: ['Portland', 'Eugene', 'Salem', 'Bend', 'Medford'] },
  { code: 'PA', name: 'Pennsylvania', weight: 13.0, zip3: [[150, 196]], areaCodes: ['215', '412', '610', '717', '814', '570'], cities: ['Philadelphia', 'Pittsburgh', 'Allentown', 'Harrisburg', 'Hershey', 'Scranton', 'Bethlehem', 'Erie'] },
  { code: 'RI', name: 'Rhode Island', weight: 1.1, zip3: [[28, 29]], areaCodes: ['401'], cities: ['Providence', 'Warwick', 'Cranston'] },
  { code: 'SC', name: 'South Carolina', weight: 5.3, zip3: [[290, 299]], areaCodes: ['803', '843', '864'], cities: ['Columbia', 'Charleston', 'Greenville', 'Spartanburg', 'Myrtle Beach'] },
  { code: 'SD', name: 'South Dakota', weight: 0.9, zip3: [[570, 577]], areaCodes: ['605'], cities: ['Sioux Falls', 'Rapid City', 'Aberdeen'] },
  { code: 'TN', name: 'Tennessee', weight: 7.1, zip3: [[370, 385]], areaCodes: ['615', '901', '865', '423'], cities: ['Nashville', 'Memphis', 'Knoxville', 'Chattanooga', 'Franklin', 'Johnson City'] },
  { code: 'TX', name: 'Texas', weight: 30.0, zip3: [[750, 799]], areaCodes: ['214', '713', '512', '210', '817', '972', '281', '915', '806'], cities: ['Houston', 'Dallas', 'San Antonio', 'Austin', 'Fort Worth', 'El Paso', 'Plano', 'Lubbock', 'Galveston', 'Tyler', 'Sugar Land'] },
  { code: 'UT', name: 'Utah', weight: 3.4, zip3: [[840, 847]], areaCodes: ['801', '435'], cities: ['Salt Lake City', 'Provo', 'Ogden', 'Murray', 'St. George'] },
  { code: 'VT', name: 'Vermont', weight: 0.65, zip3: [[50, 59]], areaCodes: ['802'], cities: ['Burlington', 'Rutland', 'Montpelier'] },
  { code: 'VA', name: 'Virginia', weight: 8.7, zip3: [[220, 246]], areaCodes: ['703', '804', '757', '540'], cities: ['Richmond', 'Norfolk', 'Virginia Beach', 'Arlington', 'Charlottesville', 'Fairfax', 'Roanoke'] },
  { code: 'WA', name: 'Washington', weight: 7.8, zip3: [[980, 994]], areaCodes: ['206', '425', '253', '509', '360'], cities: ['Seattle', 'Spokane', 'Tacoma', 'Bellevue', 'Everett', 'Vancouver'] },
  { code: 'WV', name: 'West Virginia', weight: 1.8, zip3: [[247, 268]], areaCodes: ['304'], cities: ['Charleston', 'Morgantown', 'Huntington', 'Wheeling'] },
  { code: 'WI', name: 'Wisconsin', weight: 5.9, zip3: [[530, 549]], areaCodes: ['414', '608', '920', '715'], cities: ['Milwaukee', 'Madison', 'Green Bay', 'Marshfield', 'La Crosse', 'Wauwatosa'] },
  { code: 'WY', name: 'Wyoming', weight: 0.58, zip3: [[820, 831]], areaCodes: ['307'], cities: ['Cheyenne', 'Casper', 'Laramie'] },
];

export interface Specialty {
  /** NUCC Health Care Provider Taxonomy code, as NPPES carries it. */
  readonly taxonomy: string;
  /** NUCC classification/specialization name. */
  readonly nuccName: string;
  /** The picklist value a Veeva CRM org typically shows. */
  readonly crmName: string;
  /** AMA-style self-designated specialty abbreviation, as prescriber-level Rx files carry it. */
  readonly amaCode: string;
  readonly weight: number;
  /** Credentials for which the specialty applies: physicians or advanced practice clinicians. */
  readonly kind: 'physician' | 'np' | 'pa';
}

export const SPECIALTIES: readonly Specialty[] = [
  { taxonomy: '207R00000X', nuccName: 'Internal Medicine', crmName: 'Internal Medicine', amaCode: 'IM', weight: 16, kind: 'physician' },
  { taxonomy: '207Q00000X', nuccName: 'Family Medicine', crmName: 'Family Medicine', amaCode: 'FM', weight: 15, kind: 'physician' },
  { taxonomy: '208D00000X', nuccName: 'General Practice', crmName: 'General Practice', amaCode: 'GP', weight: 2, kind: 'physician' },
  { taxonomy: '208000000X', nuccName: 'Pediatrics', crmName: 'Pediatrics', amaCode: 'PD', weight: 8, kind: 'physician' },
  { taxonomy: '207RC0000X', nuccName: 'Internal Medicine, Cardiovascular Disease', crmName: 'Cardiology', amaCode: 'CD', weight: 5, kind: 'physician' },
  { taxonomy: '207RE0101X', nuccName: 'Internal Medicine, Endocrinology, Diabetes & Metabolism', crmName: 'Endocrinology', amaCode: 'END', weight: 2.5, kind: 'physician' },
  { taxonomy: '207RG0100X', nuccName: 'Internal Medicine, Gastroenterology', crmName: 'Gastroenterology', amaCode: 'GE', weight: 3, kind: 'physician' },
  { taxonomy: '207RH0003X', nuccName: 'Internal Medicine, Hematology & Oncology', crmName: 'Hematology/Oncology', amaCode: 'HO', weight: 3, kind: 'physician' },
  { taxonomy: '207RX0202X', nuccName: 'Internal Medicine, Medical Oncology', crmName: 'Oncology', amaCode: 'ON', weight: 2, kind: 'physician' },
  { taxonomy: '207RN0300X', nuccName: 'Internal Medicine, Nephrology', crmName: 'Nephrology', amaCode: 'NEP', weight: 2, kind: 'physician' },
  { taxonomy: '207RP1001X', nuccName: 'Internal Medicine, Pulmonary Disease', crmName: 'Pulmonology', amaCode: 'PUD', weight: 2.5, kind: 'physician' },
  { taxonomy: '207RR0500X', nuccName: 'Internal Medicine, Rheumatology', crmName: 'Rheumatology', amaCode: 'RHU', weight: 1.5, kind: 'physician' },
  { taxonomy: '207RI0200X', nuccName: 'Internal Medicine, Infectious Disease', crmName: 'Infectious Disease', amaCode: 'ID', weight: 1.5, kind: 'physician' },
  { taxonomy: '207RG0300X', nuccName: 'Internal Medicine, Geriatric Medicine', crmName: 'Geriatric Medicine', amaCode: 'IMG', weight: 1, kind: 'physician' },
  { taxonomy: '2084N0400X', nuccName: 'Psychiatry & Neurology, Neurology', crmName: 'Neurology', amaCode: 'N', weight: 3, kind: 'physician' },
  { taxonomy: '2084P0800X', nuccName: 'Psychiatry & Neurology, Psychiatry', crmName: 'Psychiatry', amaCode: 'P', weight: 4.5, kind: 'physician' },
  { taxonomy: '207V00000X', nuccName: 'Obstetrics & Gynecology', crmName: 'Obstetrics & Gynecology', amaCode: 'OBG', weight: 4.5, kind: 'physician' },
  { taxonomy: '207N00000X', nuccName: 'Dermatology', crmName: 'Dermatology', amaCode: 'D', weight: 2, kind: 'physician' },
  { taxonomy: '207W00000X', nuccName: 'Ophthalmology', crmName: 'Ophthalmology', amaCode: 'OPH', weight: 2, kind: 'physician' },
  { taxonomy: '207X00000X', nuccName: 'Orthopaedic Surgery', crmName: 'Orthopedic Surgery', amaCode: 'ORS', weight: 2.5, kind: 'physician' },
  { taxonomy: '207Y00000X', nuccName: 'Otolaryngology', crmName: 'Otolaryngology', amaCode: 'OTO', weight: 1, kind: 'physician' },
  { taxonomy: '208600000X', nuccName: 'Surgery', crmName: 'General Surgery', amaCode: 'GS', weight: 3, kind: 'physician' },
  { taxonomy: '208800000X', nuccName: 'Urology', crmName: 'Urology', amaCode: 'U', weight: 1.3, kind: 'physician' },
  { taxonomy: '207P00000X', nuccName: 'Emergency Medicine', crmName: 'Emergency Medicine', amaCode: 'EM', weight: 4, kind: 'physician' },
  { taxonomy: '207L00000X', nuccName: 'Anesthesiology', crmName: 'Anesthesiology', amaCode: 'AN', weight: 3.5, kind: 'physician' },
  { taxonomy: '2085R0202X', nuccName: 'Radiology, Diagnostic Radiology', crmName: 'Radiology', amaCode: 'DR', weight: 2.5, kind: 'physician' },
  { taxonomy: '363L00000X', nuccName: 'Nurse Practitioner', crmName: 'Nurse Practitioner', amaCode: 'NP', weight: 1, kind: 'np' },
  { taxonomy: '363LF0000X', nuccName: 'Nurse Practitioner, Family', crmName: 'Nurse Practitioner', amaCode: 'NP', weight: 1, kind: 'np' },
  { taxonomy: '363A00000X', nuccName: 'Physician Assistant', crmName: 'Physician Assistant', amaCode: 'PA', weight: 1, kind: 'pa' },
];

export type OrganizationKind = 'hospital' | 'clinic' | 'pharmacy';

export const ORGANIZATION_TAXONOMIES: Readonly<Record<OrganizationKind, readonly string[]>> = {
  hospital: ['282N00000X'],
  clinic: ['261QP2300X', '261QM1300X', '193200000X'],
  pharmacy: ['3336C0003X'],
};

/** Fictional branded products; the Rx file reports prescriptions of these. */
export interface Product {
  readonly name: string;
  /** Units (tablets, pens, ...) per prescription. */
  readonly unitsPerRx: number;
  readonly pricePerUnit: number;
  /** Specialties (AMA codes) most likely to prescribe it; others prescribe it rarely. */
  readonly amaCodes: readonly string[];
}

export const PRODUCTS: readonly Product[] = [
  { name: 'CARDALIN 10MG TAB', unitsPerRx: 30, pricePerUnit: 8.75, amaCodes: ['CD', 'IM', 'FM', 'GP', 'IMG'] },
  { name: 'CARDALIN 20MG TAB', unitsPerRx: 30, pricePerUnit: 9.4, amaCodes: ['CD', 'IM', 'FM'] },
  { name: 'GLUVERA 1MG PEN', unitsPerRx: 4, pricePerUnit: 233.5, amaCodes: ['END', 'IM', 'FM', 'NP'] },
  { name: 'GLUVERA 2MG PEN', unitsPerRx: 4, pricePerUnit: 241.25, amaCodes: ['END', 'IM'] },
  { name: 'PULMOZANE 250MCG INH', unitsPerRx: 1, pricePerUnit: 312.0, amaCodes: ['PUD', 'IM', 'FM', 'PD', 'PA'] },
  { name: 'NEUROVEX 50MG CAP', unitsPerRx: 60, pricePerUnit: 4.1, amaCodes: ['N', 'P', 'IM'] },
  { name: 'RHEUMACEL 40MG SYR', unitsPerRx: 2, pricePerUnit: 1450.0, amaCodes: ['RHU', 'D', 'GE'] },
  { name: 'ONCORIX 100MG TAB', unitsPerRx: 30, pricePerUnit: 412.6, amaCodes: ['ON', 'HO'] },
  { name: 'DERMALUX 0.1% CRM', unitsPerRx: 1, pricePerUnit: 96.3, amaCodes: ['D', 'FM', 'PD'] },
  { name: 'SEROPHAN 20MG TAB', unitsPerRx: 30, pricePerUnit: 2.85, amaCodes: ['P', 'FM', 'IM', 'OBG', 'NP'] },
];

/** Frequent American names used for the "same name, different person" trap. */
export const COMMON_NAMES: ReadonlyArray<readonly [first: string, last: string, gender: 'M' | 'F']> = [
  ['John', 'Smith', 'M'],
  ['Michael', 'Johnson', 'M'],
  ['David', 'Lee', 'M'],
  ['James', 'Brown', 'M'],
  ['Robert', 'Williams', 'M'],
  ['Maria', 'Garcia', 'F'],
  ['Jennifer', 'Miller', 'F'],
  ['Mary', 'Jones', 'F'],
  ['Jose', 'Rodriguez', 'M'],
  ['Sarah', 'Davis', 'F'],
  ['William', 'Wilson', 'M'],
  ['Linda', 'Martinez', 'F'],
  ['Richard', 'Anderson', 'M'],
  ['Susan', 'Taylor', 'F'],
  ['Thomas', 'Thomas', 'M'],
  ['Kevin', 'Patel', 'M'],
  ['Wei', 'Chen', 'M'],
  ['Karen', 'Nguyen', 'F'],
];

/** Common US street suffixes and the USPS abbreviation some sources print. */
export const STREET_SUFFIX_ABBREVIATIONS: Readonly<Record<string, string>> = {
  Street: 'ST',
  Avenue: 'AVE',
  Road: 'RD',
  Drive: 'DR',
  Lane: 'LN',
  Boulevard: 'BLVD',
  Court: 'CT',
  Way: 'WAY',
  Place: 'PL',
  Parkway: 'PKWY',
  Circle: 'CIR',
  Highway: 'HWY',
  Terrace: 'TER',
  Trail: 'TRL',
  Square: 'SQ',
};

export const DIRECTION_ABBREVIATIONS: Readonly<Record<string, string>> = {
  North: 'N',
  South: 'S',
  East: 'E',
  West: 'W',
};

export const SAINT_NAMES = ['Mary', 'Joseph', 'Luke', 'Vincent', 'Francis', 'Elizabeth', 'Anthony', 'John', 'Jude', 'Catherine', 'Michael', 'Agnes'];
export const HOSPITAL_PATTERNS = ['{city} General Hospital', '{city} Regional Medical Center', 'St. {saint} Medical Center', '{last} Memorial Hospital', "{city} Children's Hospital", 'University Hospital of {city}', '{last} Community Hospital', 'St. {saint} Hospital'];
export const CLINIC_PATTERNS = ['{last} Family Medicine', '{city} Cardiology Associates', '{city} Internal Medicine Group', '{last} & {last2} Medical Group', "{city} Women's Health", '{city} Pediatrics', 'Lakeside Primary Care', 'Riverside Health Partners', '{last} Oncology Associates', '{city} Neurology Clinic', 'Summit Medical Group', '{city} Endocrine Center'];
export const PHARMACY_PATTERNS = ['{last} Pharmacy', '{city} Drug', 'Medway Pharmacy #{num}', 'CareRx Pharmacy #{num}', 'HealthMart {city}', '{city} Apothecary', 'Family Care Pharmacy', 'Main Street Pharmacy'];
