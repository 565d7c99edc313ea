import type { MovementLine, MovementsReport } from '../../app/mrr-movements.js';
import { MOVEMENT_KINDS } from '../../history/movements.js';
import { formatChangeForHumans, formatMoneyForHumans } from '../../money/currency.js';
import type { WaterfallStep } from '../charts/geometry.js';
import { waterfallSvg } from '../charts/svg.js';
import { MOVEMENT_LABELS, periodText } from '../movements.js';
import { escapeHtml } from './escape.js';
import { moneyTick } from './money-axis.js';
import { htmlTable, textCell } from './page.js';

/** Start, each movement, the currency effect when the model has one, end: the steps add up to end. */
function stepsOf(line: MovementLine, fxAdjustment: bigint | null): Array<WaterfallStep & { amount: bigint; customers: number | null }> {
  return [
    { label: 'Start', value: Number(line.start), amount: line.start, total: true, customers: null },
    ...MOVEMENT_KINDS.map((kind) => ({ label: MOVEMENT_LABELS[kind], value: Number(line.parts[kind].amount), amount: line.parts[kind].amount, total: false, customers: line.parts[kind].customers })),
    ...(fxAdjustment !== null && fxAdjustment !== 0n ? [{ label: 'FX', value: Number(fxAdjustment), amount: fxAdjustment, total: false, customers: null }] : []),
    { label: 'End', value: Number(line.end), amount: line.end, total: true, customers: null },
  ];
}

/** The MRR movements of the period as a waterfall per currency (one in the reporting currency when it is set). */
export function movementsSection(report: MovementsReport | null, omitted: string | null): string {
  const parts = ['<section id="mrr-movements"><h2>MRR movements</h2>'];
  if (!report) {
    parts.push(`<p>${escapeHtml(omitted ?? 'No movements to show.')}</p></section>`);
    return parts.join('\n');
  }
  parts.push(`<p class="meta">Between the snapshots of ${escapeHtml(periodText(report))}: self-service MRR.</p>`);
  const lines = report.converted ? [{ line: report.converted.total, fx: report.converted.fxAdjustment }] : report.totals.map((line) => ({ line, fx: null }));
  for (const { line, fx } of lines) {
    const steps = stepsOf(line, fx);
    const amountText = (step: (typeof steps)[number]) => (step.total ? formatMoneyForHumans(step.amount, line.currency) : formatChangeForHumans(step.amount, line.currency));
    const label = `MRR movements in ${line.currency.toUpperCase()}: ${steps.map((step) => `${step.label} ${amountText(step)}`).join('; ')}`;
    parts.push(
      `<figure class="waterfall" data-currency="${escapeHtml(line.currency)}">`,
      waterfallSvg({ label, steps, formatTick: moneyTick(line.currency) }),
      `<figcaption>MRR in ${escapeHtml(line.currency.toUpperCase())}: each movement starts where the previous one ended; increases go up, decreases down.</figcaption>`,
      htmlTable(
        null,
        [{ text: 'Step' }, { text: 'MRR', numeric: true }, { text: 'Customers', numeric: true }],
        steps.map((step) => [textCell(step.label), textCell(amountText(step), { numeric: true, className: 'amount' }), textCell(step.customers === null ? '' : String(step.customers), { numeric: true })]),
      ),
      '</figure>',
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}
