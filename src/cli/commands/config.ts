import { shownLocation } from '../../secrets/redact.js';
import { Command } from 'commander';
import { resolveTierLayout } from '../../catalog/tier-layout.js';
import { KpiError } from '../../errors.js';
import type { KpiSource } from '../../scoreboard/kpi-config.js';
import type { KpiConfig } from '../../config/schema.js';
import type { CliContext } from '../context.js';
import { openBillingSource } from '../billing-source-options.js';
import { addSourceOptions, type SourceFlags } from '../options.js';
import { reportSetup } from './report.js';
import { colourEnabled, makePalette, screenFor } from '../../terminal/terminal.js';
import { shortenLines } from '../../render/table-fit.js';
import { terminalSafe } from '../../terminal/safe-text.js';
import { checkSourceEnvironment } from '../../scoreboard/sources/source-environment.js';

/** What a KPI source reads, in words, without secrets (an auth header shows its variable only). */
export function describeSource(source: KpiSource | null): string {
  if (!source) return 'not configured';
  switch (source.type) {
    case 'stripe':
      return `stripe ${source.metric}${source.tier ? ` (tier ${source.tier})` : ''}`;
    case 'github':
      return `github: pull requests merged in ${source.repositories.join(', ')}`;
    case 'csv':
      return `csv ${source.file}: ${source.sum ? `sum of "${source.sum}"` : 'row count'}${Object.keys(source.where).length > 0 ? ` where ${Object.entries(source.where).map(([column, value]) => `${column} = ${value}`).join(', ')}` : ''}${source.date_column ? `, dated by "${source.date_column}"` : ''}`;
    case 'json': {
      const where = shownLocation(source.location);
      return `json ${where} at ${source.pointer || '/'}${source.auth ? ` (${source.auth.header} from $${source.auth.env})` : ''}`;
    }
    case 'command':
      return `command: ${source.run.length > 60 ? `${source.run.slice(0, 57)}...` : source.run} (timeout ${source.timeout_seconds} s${source.env.length > 0 ? `, gets ${source.env.map((name) => `$${name}`).join(', ')}` : ''}; runs only with --allow-commands)`;
    case 'value':
      return `value ${source.value}`;
    case 'hubspot':
      return `hubspot ${source.preset ? `preset ${source.preset}` : `${source.aggregate === 'sum' ? `sum of "${source.property}" over` : 'count of'} ${source.object}`}${source.filters.length > 0 ? ` (${source.filters.length} filter${source.filters.length === 1 ? '' : 's'})` : ''} (token from $${source.token_env})`;
  }
}

/** The handbook rules' settings next to the Stripe Billing Overview settings the Stripe column follows. */
function settingsSideBySide(config: KpiConfig): string[] {
  const subtracted = (yes: boolean) => (yes ? 'subtracted' : 'not subtracted');
  const stripe = config.stripeSettings;
  const rows: Array<[string, string, string]> = [
    ['', 'Handbook rules', 'Stripe settings (stripe_settings)'],
    // The Stripe column reads the same subscriptions; Stripe's own MRR counts active and past_due.
    ['Statuses', config.countedStatuses.join(', '), "the same (Stripe's MRR: active, past_due)"],
    ['Forever coupons', 'subtracted (rule billed)', 'subtracted'],
    ['Repeating coupons', `${subtracted(config.discounts.countRepeating)} (rule billed)`, subtracted(stripe.countRepeating)],
    ['Once coupons', `${subtracted(config.discounts.countOnce)} (rule billed)`, subtracted(stripe.countOnce)],
    ['Set to end', 'counted until it ends', stripe.churn === 'at_cancellation' ? 'not counted (churn at_cancellation)' : 'counted until it ends (churn at_period_end)'],
  ];
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return ['Settings:', ...rows.map(([name, handbook, stripeText]) => `  ${name.padEnd(widths[0]!)}  ${handbook.padEnd(widths[1]!)}  ${stripeText}`.trimEnd())];
}

export function configCommand(context: CliContext): Command {
  const check = new Command('check').description('Validate the configuration and show what it resolves to: the Stripe products each name matched, each KPI and its source');
  addSourceOptions(check);
  check
    .option('--no-color', 'no colour, even on a terminal')
    .option('--wide', 'full-width lines, no shortening (lines fit the terminal otherwise; piped output is never shortened)')
    .addHelpText('after', '\nExamples:\n  kpi config check --demo\n  kpi config check --config kpi.config.yaml     (reads product names from Stripe)')
    .action(async (flags: SourceFlags & { color: boolean; wide?: boolean }) => {
      const palette = makePalette(colourEnabled(context.stdout, context.env, !flags.color));
      const setup = reportSetup(flags, context);
      const { config, reportConfig } = setup;
      // What `kpi report` would refuse before any source runs, config check refuses too.
      checkSourceEnvironment(reportConfig.kpis, context.env);
      // Names from Stripe and the config file, and the config's own path, are outside text: each is
      // made terminal-safe before it is coloured or joined into a line.
      const safe = terminalSafe;
      const lines = [palette.heading(`Configuration: ${safe(config.origin)}`), ''];
      lines.push(...settingsSideBySide(config));
      if (config.reporting) lines.push(`Reporting currency: ${config.reporting.currency.toUpperCase()} (rates: ${describeConfiguredRates(config.reporting.rates)})`);
      lines.push('');

      let failure: KpiError | null = null;
      try {
        const source = await openBillingSource(flags, context.env, setup.now);
        const products = await source.listProducts();
        const byId = new Map(products.map((product) => [product.id, product]));
        const layout = resolveTierLayout(config, products, { otherRecurring: true });
        lines.push(palette.heading(`Tiers, matched in ${safe(source.description)}`));
        for (const tier of layout.tiers) {
          lines.push(`  ${safe(tier.displayName)} (${tier.group}, rule ${tier.rule})`);
          for (const product of tier.products) {
            const matched = product.productIds.map((id) => safe(`${id} "${byId.get(id)?.name}"`) + (byId.get(id)?.active === false ? ' (archived)' : ''));
            lines.push(`    ${safe(product.displayName)}: ${matched.length > 0 ? matched.join(', ') : palette.warning('no product (optional)')}`);
          }
        }
      } catch (error) {
        if (!(error instanceof KpiError)) throw error;
        failure = error;
        lines.push(palette.warning(`Tiers not checked against Stripe: ${safe(error.message)}`));
        if (error.hint) lines.push(palette.dim(`  ${safe(error.hint)}`));
      }
      lines.push('', palette.heading(`KPIs (periods in ${reportConfig.time_zone})`));
      for (const kpi of reportConfig.kpis) {
        const target = kpi.target === null ? 'no target' : typeof kpi.target === 'number' ? `target ${kpi.target}` : `target ${JSON.stringify(kpi.target)}`;
        lines.push(safe(`  ${kpi.id}: ${kpi.name} [${kpi.unit}${kpi.currency ? ` ${kpi.currency.toUpperCase()}` : ''}, ${kpi.period}, ${target}, ${kpi.direction} is better]`));
        lines.push(safe(`    ${describeSource(kpi.source)}`));
      }
      // Names, ids and sources end the lines, so shortening keeps what each line is about.
      context.stdout.write(`${shortenLines(lines, screenFor(context.stdout, context.env, flags)).join('\n')}\n`);
      if (failure) throw failure;
    });
  return new Command('config').description('Inspect the configuration').addHelpText('after', '\nExamples:\n  kpi config check --demo').addCommand(check);
}

function describeConfiguredRates(rates: Record<string, string> | 'ecb'): string {
  if (rates === 'ecb') return "the ECB's reference rates of each date";
  return Object.entries(rates).map(([code, rate]) => `${code.toUpperCase()} ${rate}`).join(', ') || 'none';
}
