import { fileURLToPath } from 'node:url';

/** The installed package's root: one level up from `src/` or `dist/`, wherever kpi runs from. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

export const DEMO_ACCOUNT_FILE = fileURLToPath(new URL('../fixtures/demo-account.json', import.meta.url));

/** The bundled weekly snapshots of the fictional demo account (`--demo`). */
export const DEMO_SNAPSHOTS_DIR = fileURLToPath(new URL('../fixtures/demo-snapshots/', import.meta.url));

/** The demo company's configuration and data files (`kpi report --demo`). */
export const DEMO_CONFIG_FILE = fileURLToPath(new URL('../fixtures/demo/kpi.config.yaml', import.meta.url));

/** The demo company's OKRs (`kpi okr status --demo`). */
export const DEMO_OKR_FILE = fileURLToPath(new URL('../fixtures/demo/okrs.yaml', import.meta.url));

/** A Stripe "MRR per subscriber per month" export of the demo account (`kpi reconcile --demo`). */
export const DEMO_EXPORT_FILE = fileURLToPath(new URL('../fixtures/demo/stripe-mrr-per-subscriber.csv', import.meta.url));

/** ECB-format rates covering the demo's weeks (illustrative values): the demo converts without network. */
export const DEMO_RATES_FILE = fileURLToPath(new URL('../fixtures/demo/ecb-rates.xml', import.meta.url));

/** The demo company's recorded HubSpot CRM (`kpi report --demo` reads its CRM KPIs from it, in-process). */
export const DEMO_HUBSPOT_FILE = fileURLToPath(new URL('../fixtures/demo/hubspot/crm.json', import.meta.url));
