/**
 * CMS "Medicare Part D Prescribers - by Provider and Drug". From data year 2020 the file is comma-separated with
 * 22 columns (`Prscrbr_NPI ... GE65_Tot_Benes`); 2013-2019 files are tab-delimited with other names. The preset
 * renames the old names to the 2020+ ones, so one mapping (`cms-part-d.prescriber-drug.yaml`) reads both.
 */
export const CMS_COLUMNS = [
  'Prscrbr_NPI',
  'Prscrbr_Last_Org_Name',
  'Prscrbr_First_Name',
  'Prscrbr_City',
  'Prscrbr_State_Abrvtn',
  'Prscrbr_State_FIPS',
  'Prscrbr_Type',
  'Prscrbr_Type_Src',
  'Brnd_Name',
  'Gnrc_Name',
  'Tot_Clms',
  'Tot_30day_Fills',
  'Tot_Day_Suply',
  'Tot_Drug_Cst',
  'Tot_Benes',
  'GE65_Sprsn_Flag',
  'GE65_Tot_Clms',
  'GE65_Tot_30day_Fills',
  'GE65_Tot_Drug_Cst',
  'GE65_Tot_Day_Suply',
  'GE65_Bene_Sprsn_Flag',
  'GE65_Tot_Benes',
] as const;

/** 2013-2019 names (lower case in the files) to their 2020+ equivalents. */
const LEGACY_NAMES: Record<string, (typeof CMS_COLUMNS)[number]> = {
  npi: 'Prscrbr_NPI',
  nppes_provider_last_org_name: 'Prscrbr_Last_Org_Name',
  nppes_provider_first_name: 'Prscrbr_First_Name',
  nppes_provider_city: 'Prscrbr_City',
  nppes_provider_state: 'Prscrbr_State_Abrvtn',
  specialty_description: 'Prscrbr_Type',
  description_flag: 'Prscrbr_Type_Src',
  drug_name: 'Brnd_Name',
  generic_name: 'Gnrc_Name',
  bene_count: 'Tot_Benes',
  total_claim_count: 'Tot_Clms',
  total_30_day_fill_count: 'Tot_30day_Fills',
  total_day_supply: 'Tot_Day_Suply',
  total_drug_cost: 'Tot_Drug_Cst',
  bene_count_ge65: 'GE65_Tot_Benes',
  bene_count_ge65_suppress_flag: 'GE65_Bene_Sprsn_Flag',
  total_claim_count_ge65: 'GE65_Tot_Clms',
  ge65_suppress_flag: 'GE65_Sprsn_Flag',
  total_30_day_fill_count_ge65: 'GE65_Tot_30day_Fills',
  total_day_supply_ge65: 'GE65_Tot_Day_Suply',
  total_drug_cost_ge65: 'GE65_Tot_Drug_Cst',
};

const CURRENT = new Map(CMS_COLUMNS.map((c) => [c.toLowerCase(), c]));

/** The header as the mapping reads it: 2020+ names, whatever the year; unknown columns keep their name. */
export function normalizeCmsHeader(header: string[]): { columns: string[]; legacy: boolean } {
  let legacy = false;
  const columns = header.map((raw) => {
    const name = raw.trim().replace(/^"|"$/g, '');
    const key = name.toLowerCase();
    const current = CURRENT.get(key);
    if (current) return current;
    const old = LEGACY_NAMES[key];
    if (old) {
      legacy = true;
      return old;
    }
    return name;
  });
  return { columns, legacy };
}

const REQUIRED = ['Prscrbr_NPI', 'Brnd_Name', 'Gnrc_Name', 'Tot_Clms'] as const;

/** Why a header is not a Part D prescriber x drug header, or undefined when it is one. */
export function explainCmsHeader(columns: string[]): string | undefined {
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length === 0) return undefined;
  return `the header lacks ${missing.join(', ')}: this is not a CMS "Part D Prescribers - by Provider and Drug" file (2020+ names such as Prscrbr_NPI, or 2013-2019 names such as npi, drug_name). Header seen: ${columns.slice(0, 8).join(', ')}${columns.length > 8 ? ', ...' : ''}`;
}

/**
 * The file carries no year column: the year is configuration (`dataYear`) or read from the file name, CMS style
 * `..._DY22_...` (data year 2022) or a plain `2021` in the name.
 */
export function dataYearOf(fileName: string, configured: number | undefined): number | undefined {
  if (configured !== undefined) return configured;
  const dy = fileName.match(/DY(\d{2})(?!\d)/i);
  if (dy) return 2000 + Number(dy[1]);
  const plain = fileName.match(/(?:^|\D)(20[1-4]\d)(?!\d)/);
  return plain ? Number(plain[1]) : undefined;
}
