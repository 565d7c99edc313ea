import type { ConfigFile } from './schema.js';

/**
 * The handbook's self-service MRR and ARR, as a configuration.
 *
 * Starter counts list prices (number of subscriptions x subscription cost, promotional
 * discounts ignored). The paid tier was called Team until 2025 and Pro since; its products
 * are listed under both names, oldest first, so the same default reads an account from
 * either era and the output calls the tier by the name the account uses.
 */
export const DEFAULT_CONFIG: ConfigFile = {
  version: 1,
  counted_statuses: ['active', 'past_due'],
  discounts: { count_repeating: false, count_once: false },
  tiers: [
    {
      name: 'Starter',
      rule: 'list-price',
      products: ['FlowFuse Cloud - Starter', 'Starter - Small Instance Add-On', 'Starter - Remote Instance Add-On'],
    },
    {
      names: ['Team', 'Pro'],
      rule: 'billed',
      products: [
        { names: ['FlowFuse Team Platform - Cloud', 'FlowFuse Pro Platform - Cloud'] },
        { names: ['Team - Small Instance Add-On', 'Pro - Small Instance Add-On'] },
        { names: ['Team - Medium Instance Add-On', 'Pro - Medium Instance Add-On'] },
        { names: ['Team - Large Instance Add-On', 'Pro - Large Instance Add-On'] },
        { names: ['Team - Remote Instance Add-On', 'Pro - Remote Instance Add-On'] },
      ],
    },
  ],
  arr: {
    weekly_growth_target: 10,
    // Yearly self-hosted licences bill through Stripe too: ARR counts them, self-service MRR does not.
    other_recurring: [{ name: 'Enterprise', rule: 'billed', products: [{ name: 'FlowFuse Enterprise - Self-Hosted', optional: true }] }],
  },
};
