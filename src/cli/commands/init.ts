import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { CONFIG_FILE_NAMES } from '../../config/load.js';
import { OKR_FILE_NAMES } from './okr.js';
import { UsageError } from '../../errors.js';
import { stageFile, type StagedFile } from '../../files/atomic-file.js';
import { resolvePeriod } from '../../scoreboard/periods.js';
import type { CliContext } from '../context.js';

const CONFIG_TEMPLATE = `# kpi configuration. Every setting is explained in kpi's README; \`kpi config check\` shows
# what it resolves to against your Stripe account.
version: 1

# Subscriptions in these statuses count (Stripe's MRR counts active and past_due).
counted_statuses: [active, past_due]

# Rule "billed" (the handbook's) always subtracts forever coupons; these add the others.
discounts:
  count_repeating: false
  count_once: false

# Your Stripe Billing Overview settings ("Configure"), for the column compared with Stripe.
# Stripe's defaults: repeating and once discounts not subtracted, churn at cancellation
# (a subscription set to end stops counting at once; at_period_end keeps it until it ends).
stripe_settings:
  subtract_repeating: false
  subtract_once: false
  churn: at_cancellation

# Convert every currency into one reporting currency (every total, the KPI report's MRR and ARR).
# Either the European Central Bank's reference rates of each figure's date (through the euro):
# reporting: { currency: usd, rates: ecb }
# or fixed rates of your own (1 EUR = 1.08 USD):
# reporting:
#   currency: usd
#   rates: { eur: "1.08" }

# Where snapshots and the report history are kept (default ~/.local/share/kpi).
# data_dir: ./kpi-data

# Self-service tiers, products matched by name (case, spaces and dashes do not matter).
tiers:
  - name: Starter
    rule: list-price        # handbook: subscriptions x list price, discounts ignored
    products:
      - FlowFuse Cloud - Starter
      - Starter - Small Instance Add-On
      - Starter - Remote Instance Add-On
  - names: [Team, Pro]      # renamed in 2025: oldest name first
    rule: billed            # Stripe's MRR definition
    products:
      - names: [FlowFuse Team Platform - Cloud, FlowFuse Pro Platform - Cloud]
      - names: [Team - Small Instance Add-On, Pro - Small Instance Add-On]
      - names: [Team - Medium Instance Add-On, Pro - Medium Instance Add-On]
      - names: [Team - Large Instance Add-On, Pro - Large Instance Add-On]
      - names: [Team - Remote Instance Add-On, Pro - Remote Instance Add-On]
      # - { id: prod_123, label: Legacy bundle }   # pin a product by id
      # - { name: Pro - GPU Instance Add-On, optional: true }

arr:
  weekly_growth_target: 10   # percent, week over week
  other_recurring:           # recurring revenue outside self-service: in ARR, not in MRR
    - name: Enterprise
      rule: billed
      products:
        - { name: FlowFuse Enterprise - Self-Hosted, optional: true }

# The weekly scoreboard (kpi report). A KPI without a source shows as "not configured".
report:
  time_zone: UTC
  fiscal_year_start_month: 1
  yellow_within_percent: 10
  kpis:
    - id: engineering_throughput
      name: Engineering Throughput
      unit: count
      period: last_week
      # source: { type: github, repositories: [your-org/your-repo] }   # needs GITHUB_TOKEN
      target: 40
    - id: nr_active_instances
      name: NR Active Instances
      unit: count
      # source: { type: json, location: https://example.com/api/stats, pointer: /instances/active, auth: { env: STATS_TOKEN } }
    - id: mqls
      name: MQLs
      unit: count
      period: last_week
      # source: { type: hubspot, preset: mqls }   # needs HUBSPOT_TOKEN (scope crm.objects.contacts.read)
      # or from an export: { type: csv, file: contacts.csv, where: { Lifecycle Stage: MQL }, date_column: Became MQL }
    - id: carr_projected
      name: CARR Projected (This Q)
      unit: money
      currency: usd
      period: this_quarter
      # source: { type: hubspot, preset: carr_projected }   # weighted by stage probability; needs crm.objects.deals.read
      target: { kpi: carr_goal }
    - id: carr_closed
      name: CARR Closed (This Q)
      unit: money
      currency: usd
      period: this_quarter
      # source: { type: hubspot, preset: carr_closed, pipelines: [Sales Pipeline], amount_property: hs_arr }
      # or from an export: { type: csv, file: deals.csv, sum: Amount, where: { Stage: Closed Won }, date_column: Close Date }
      target: { kpi: carr_goal }
    - id: carr_goal
      name: CARR Goal (This Q)
      unit: money
      currency: usd
      period: this_quarter
      # source: { type: value, value: 150000 }
    - id: mrr
      name: MRR
      unit: money
      source: { type: stripe, metric: mrr }
    - id: arr
      name: ARR
      unit: money
      source: { type: stripe, metric: arr }
      target: { weekly_growth_percent: 10 }
`;

const CONFIG_FILE = 'kpi.config.yaml';

function okrTemplate(quarter: string): string {
  return `# OKRs for ${quarter}: \`kpi okr status\` scores them, \`kpi okr lint\` checks them.
period: ${quarter}
objectives:
  - title: Grow self-service revenue
    owner: Revenue team
    type: committed          # committed aims for 1.0; aspirational counts 0.7 as a win
    key_results:             # 3 to 5, each a number
      - title: Self-service MRR to 130,000 USD
        kpi: mrr             # live from the report's KPI "mrr"
        start: 100000
        target: 130000
      - title: Time to first flow under 5 minutes
        start: 12
        target: 5            # lower is better works too
        current: 12
        as_of: ${new Date().toISOString().slice(0, 10)}
        check_ins: []        # weekly: { date: 2026-11-16, value: 10, confidence: 7, note: ... }
      - title: Launch the yearly plan
        milestone: true
        done: false
`;
}

export function initCommand(context: CliContext): Command {
  return new Command('init')
    .description('Write a commented starter kpi.config.yaml and okrs.yaml in the working directory')
    .option('--force', 'overwrite files that exist')
    .addHelpText('after', '\nExamples:\n  kpi init && kpi config check --demo')
    .action((flags: { force?: boolean }) => {
      const quarter = resolvePeriod('this_quarter', context.now(), { timeZone: 'UTC', fiscalYearStartMonth: 1 }).quarter;
      const files = [
        { name: CONFIG_FILE, text: CONFIG_TEMPLATE, others: CONFIG_FILE_NAMES, clash: 'would leave several configuration files' },
        { name: 'okrs.yaml', text: okrTemplate(quarter), others: OKR_FILE_NAMES, clash: 'would be read instead of it' },
      ];
      const clashes = files.flatMap((file) =>
        file.others.filter((name) => name !== file.name && existsSync(join(context.cwd, name))).map((existing) => ({ existing, file })),
      );
      if (clashes.length > 0) {
        // Even with --force: the file written beside it would make later commands refuse to choose, or read ours instead.
        throw new UsageError(
          clashes.map(({ existing, file }) => `${existing} already exists: ${article(file.name)} ${file.name} beside it ${file.clash}`).join('; '),
          `Edit ${clashes[0]!.existing}, or move it away and run kpi init again.`,
        );
      }
      const existing = files.filter((file) => existsSync(join(context.cwd, file.name)));
      if (existing.length > 0 && !flags.force) {
        throw new UsageError(`${existing.map((file) => file.name).join(' and ')} already exist${existing.length === 1 ? 's' : ''}`, 'Use --force to overwrite.');
      }
      // Both files or neither: write both whole aside first, then put them in place. Starter
      // files are meant to be shared in a repository, so they get the usual mode (0644 under a 022 umask).
      const staged: StagedFile[] = [];
      try {
        for (const file of files) staged.push(stageFile(join(context.cwd, file.name), file.text, { overwrite: Boolean(flags.force), mode: 0o666 }));
        for (const file of staged) file.commit();
      } finally {
        for (const file of staged) file.discard();
      }
      context.stdout.write(`${files.map((file) => `wrote ${file.name}`).join('\n')}\n`);
      context.stderr.write('Next: edit them, then `kpi config check` (with STRIPE_API_KEY set) and `kpi report`.\n');
    });
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
