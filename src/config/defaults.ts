import { STRIPE_DEFAULT_SETTINGS, type ConfigFile } from './schema.js';
import { HANDBOOK_ARR, HANDBOOK_TIERS } from './handbook-tiers.js';
import type { ReportConfigFile } from '../scoreboard/kpi-config.js';

/**
 * The handbook's weekly KPIs (strategy page). Sources that only a company can name (its
 * CRM export, its repositories, its platform's statistics) are left unconfigured: they
 * show as "not configured", never as zero. `kpi init` writes a config with examples.
 */
export const DEFAULT_REPORT: ReportConfigFile = {
  time_zone: 'UTC',
  kpis: [
    { id: 'engineering_throughput', name: 'Engineering Throughput', unit: 'count', period: 'last_week' },
    { id: 'nr_active_instances', name: 'NR Active Instances', unit: 'count' },
    { id: 'mqls', name: 'MQLs', unit: 'count', period: 'last_week' },
    { id: 'carr_projected', name: 'CARR Projected (This Q)', unit: 'money', currency: 'usd', period: 'this_quarter', target: { kpi: 'carr_goal' } },
    { id: 'carr_closed', name: 'CARR Closed (This Q)', unit: 'money', currency: 'usd', period: 'this_quarter', target: { kpi: 'carr_goal' } },
    { id: 'carr_goal', name: 'CARR Goal (This Q)', unit: 'money', currency: 'usd', period: 'this_quarter' },
    { id: 'mrr', name: 'MRR', unit: 'money', source: { type: 'stripe', metric: 'mrr' } },
    { id: 'arr', name: 'ARR', unit: 'money', source: { type: 'stripe', metric: 'arr' }, target: { weekly_growth_percent: 10 } },
  ],
};

/** The handbook's self-service MRR and ARR rules, as a configuration file would spell them. */
export const DEFAULT_CONFIG: ConfigFile = {
  version: 1,
  counted_statuses: ['active', 'past_due'],
  discounts: { count_repeating: false, count_once: false },
  stripe_settings: { ...STRIPE_DEFAULT_SETTINGS },
  tiers: HANDBOOK_TIERS,
  arr: HANDBOOK_ARR,
};
