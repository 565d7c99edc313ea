/**
 * The handbook's tiers, in the configuration file's shape.
 *
 * Starter counts list prices (number of subscriptions x subscription cost, promotional
 * discounts ignored). The paid tier was called Team until 2025 and Pro since; its products
 * are listed under both names, oldest first, so the same default reads an account from
 * either era and the output calls the tier by the name the account uses.
 */
type Rule = 'list-price' | 'billed';
type ProductEntry = string | { name?: string; names?: string[]; optional?: boolean };
type TierEntry = { name?: string; names?: string[]; rule: Rule; products: ProductEntry[] };

export const HANDBOOK_TIERS: TierEntry[] = [
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
];

export const HANDBOOK_ARR: { weekly_growth_target: number; other_recurring: TierEntry[] } = {
  weekly_growth_target: 10,
  // Yearly self-hosted licences bill through Stripe too: ARR counts them, self-service MRR does not.
  other_recurring: [{ name: 'Enterprise', rule: 'billed', products: [{ name: 'FlowFuse Enterprise - Self-Hosted', optional: true }] }],
};
