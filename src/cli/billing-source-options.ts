import { DEMO_ACCOUNT_FILE } from '../package-root.js';
import type { BillingSource } from '../sources/billing-source.js';
import { AccountFileReader } from '../sources/stripe/account-file-reader.js';
import { readApiBase, readStripeCredentials } from '../sources/stripe/credentials.js';
import { WireBillingSource } from '../sources/stripe/wire-source.js';

export interface BillingSourceFlags {
  demo?: boolean;
  apiKeyFile?: string;
  maxRps?: number;
}

/** `--demo` reads the bundled fictional account; otherwise the Stripe API with the configured key. */
export async function openBillingSource(flags: BillingSourceFlags, env: NodeJS.ProcessEnv, now: Date): Promise<BillingSource> {
  if (flags.demo) {
    const reader = AccountFileReader.fromFile(DEMO_ACCOUNT_FILE, 'the bundled demo account');
    return new WireBillingSource(reader, 'demo account (fictional data)', reader.asOf);
  }
  const credentials = readStripeCredentials({ apiKeyFile: flags.apiKeyFile, env });
  const apiBase = readApiBase(env);
  // The SDK is large: load it only when the API is really read (not for --demo or --help).
  const { StripeApiReader } = await import('../sources/stripe/api-reader.js');
  const reader = new StripeApiReader({ credentials, apiBase, maxRps: flags.maxRps });
  const where = apiBase ? `Stripe-compatible API at ${apiBase.host}:${apiBase.port}` : 'Stripe';
  return new WireBillingSource(reader, `${where} (${credentials.mode} mode)`, Math.floor(now.getTime() / 1000));
}
