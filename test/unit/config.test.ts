import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';
import { resolveTierLayout } from '../../src/catalog/tier-layout.js';
import { normaliseProductName } from '../../src/catalog/product-names.js';
import type { Product } from '../../src/billing/model.js';

function errorOf(action: () => unknown): UsageError {
  try {
    action();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('configuration file', () => {
  it('encodes the handbook by default', () => {
    const config = parseConfig(DEFAULT_CONFIG, 'built-in default');
    expect(config.countedStatuses).toEqual(['active', 'past_due']);
    expect(config.discounts).toEqual({ countRepeating: false, countOnce: false });
    expect(config.tiers.map((tier) => [tier.names, tier.rule])).toEqual([
      [['Starter'], 'list-price'],
      [['Team', 'Pro'], 'billed'],
    ]);
    expect(config.tiers[1]?.products).toHaveLength(5);
  });

  it('names the file, the field path and what would be valid', () => {
    const error = errorOf(() =>
      parseConfig({ tiers: [{ name: 'Starter', rule: 'list-price', products: ['A'] }, { name: 'Pro', rule: 'stripe', products: ['B'] }] }, 'kpi.config.yaml'),
    );
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('config file kpi.config.yaml is invalid');
    expect(error.message).toMatch(/tiers\[1\]\.rule: .*"list-price".*"billed"/);
  });

  it('rejects unknown keys, bad statuses and misaligned renamed product names', () => {
    const error = errorOf(() =>
      parseConfig(
        {
          counted_statuses: ['active', 'pending'],
          colour: true,
          tiers: [{ names: ['Team', 'Pro'], rule: 'billed', products: [{ names: ['A', 'B', 'C'] }] }],
        },
        'x.json',
      ),
    );
    expect(error.message).toMatch(/counted_statuses\[1\]:/);
    expect(error.message).toMatch(/\(top level\): Unrecognized key: "colour"/);
    expect(error.message).toMatch(/tiers\[0\]\.products\[0\]\.names: lists 3 names but the tier has 2/);
  });

  it('reads YAML and JSON files and reports syntax errors with the file name', () => {
    const directory = mkdtempSync(join(tmpdir(), 'kpi-config-'));
    writeFileSync(join(directory, 'kpi.config.yaml'), 'tiers:\n  - name: Starter\n    rule: list-price\n    products: [FlowFuse Cloud - Starter]\n');
    expect(loadConfig({ cwd: directory }).origin).toBe('kpi.config.yaml');
    const broken = join(directory, 'broken.json');
    writeFileSync(broken, '{"tiers": [');
    expect(errorOf(() => loadConfig({ cwd: directory, configPath: broken })).message).toContain(`config file ${broken} is not valid JSON`);
    expect(errorOf(() => loadConfig({ cwd: directory, configPath: join(directory, 'missing.yaml') })).message).toContain('file not found');
    writeFileSync(join(directory, 'kpi.config.json'), '{}');
    expect(errorOf(() => loadConfig({ cwd: directory })).message).toContain('several configuration files');
  });

  it('validates reporting rates', () => {
    const error = errorOf(() => parseConfig({ ...DEFAULT_CONFIG, reporting: { currency: 'usd', rates: { eur: '-1' } } }, 'c.yaml'));
    expect(error.message).toMatch(/reporting\.rates\.eur:/);
  });
});

describe('matching configured products to Stripe products', () => {
  const products = (...names: Array<string | [string, boolean]>): Product[] =>
    names.map((entry, index) => {
      const [name, active] = typeof entry === 'string' ? [entry, true] : entry;
      return { id: `prod_${index}`, name, active };
    });
  const handbook = parseConfig(DEFAULT_CONFIG, 'built-in default');
  const proAccount = products(
    'FlowFuse Cloud - Starter',
    'Starter - Small Instance Add-On',
    'Starter - Remote Instance Add-On',
    'FlowFuse Pro Platform - Cloud',
    'Pro - Small Instance Add-On',
    'Pro - Medium Instance Add-On',
    'Pro - Large Instance Add-On',
    'Pro - Remote Instance Add-On',
  );

  it('folds case, spaces and Unicode dashes', () => {
    expect(normaliseProductName('  FlowFuse   Cloud \u2013 STARTER ')).toBe('flowfuse cloud - starter');
    expect(normaliseProductName('Pro\u2014Small')).toBe('pro-small');
    // Armenian hyphen, two-em dash, wave dash, soft hyphen and zero-width space
    expect(normaliseProductName('Pro\u058ASmall \u2E3A Add\u00AD-On\u200B \u301C x')).toBe('pro-small - add-on - x');
  });

  it('names the tier after the product names the account carries', () => {
    expect(resolveTierLayout(handbook, proAccount).tiers.map((tier) => tier.displayName)).toEqual(['Starter', 'Pro']);
    const teamAccount = proAccount.map((product) => ({ ...product, name: product.name.replace(/Pro/, 'Team') }));
    expect(resolveTierLayout(handbook, teamAccount).tiers.map((tier) => tier.displayName)).toEqual(['Starter', 'Team']);
  });

  it('includes archived products and both names during a rename', () => {
    const layout = resolveTierLayout(handbook, [...proAccount, { id: 'prod_old', name: 'Team – Small Instance Add-On', active: false }]);
    expect(layout.tiers[1]?.products[1]).toEqual({ displayName: 'Pro - Small Instance Add-On', productIds: ['prod_old', 'prod_4'] });
    expect(layout.locate('prod_old')).toEqual({ tierIndex: 1, productIndex: 1 });
    expect(layout.locate('prod_unrelated')).toBeUndefined();
  });

  it('lists the closest names when a configured name matches nothing', () => {
    const account = proAccount.filter((product) => product.name !== 'Pro - Medium Instance Add-On').concat(products('Pro - Medium Instance Addon'));
    const error = errorOf(() => resolveTierLayout(handbook, account));
    expect(error.message).toContain('"Team - Medium Instance Add-On" / "Pro - Medium Instance Add-On"');
    expect(error.hint).toMatch(/^Closest product names in the account: "Pro - Medium Instance Addon"/);
  });

  it('lets optional products be missing and pins products by id', () => {
    const config = parseConfig(
      {
        tiers: [
          { name: 'Starter', rule: 'list-price', products: ['FlowFuse Cloud - Starter', { name: 'Starter - Gold', optional: true }] },
          { name: 'Pro', rule: 'billed', products: [{ id: 'prod_3', label: 'Platform' }] },
        ],
      },
      't',
    );
    const layout = resolveTierLayout(config, proAccount);
    expect(layout.tiers[0]?.products[1]).toEqual({ displayName: 'Starter - Gold', productIds: [] });
    expect(layout.tiers[1]?.products[0]).toEqual({ displayName: 'Platform', productIds: ['prod_3'] });
    const missingId = parseConfig({ tiers: [{ name: 'Pro', rule: 'billed', products: [{ id: 'prod_nope' }] }] }, 't');
    expect(errorOf(() => resolveTierLayout(missingId, proAccount)).message).toContain('pins product id prod_nope');
  });

  it('refuses a product counted twice', () => {
    const config = parseConfig(
      { tiers: [{ name: 'A', rule: 'billed', products: ['FlowFuse Cloud - Starter'] }, { name: 'B', rule: 'billed', products: [{ id: 'prod_0' }] }] },
      't',
    );
    expect(errorOf(() => resolveTierLayout(config, proAccount)).message).toContain('is selected twice');
  });
});
