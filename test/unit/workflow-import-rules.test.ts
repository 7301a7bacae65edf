import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Linter } from 'eslint';

/**
 * Workflow code runs in Temporal's deterministic sandbox, so eslint.config.mjs refuses the imports
 * that would break it. This lints snippets as if they were workflow files (virtual paths under
 * src/workflows, nothing written to disk) with the project's own config and holds each forbidden
 * import to a lint error and each house-style import to a clean result.
 */
const root = path.resolve(__dirname, '../..');
const nested = 'src/workflows/campaign-send/import-rule-probe.ts';
const topLevel = 'src/workflows/import-rule-probe.ts';

interface Snippet {
  code: string;
  filePath: string;
}

// ESLint loads eslint.config.mjs through a dynamic import(), which jest's module sandbox refuses
// (it needs --experimental-vm-modules), so the snippets are linted by a plain Node child.
// The snippets are not files of the tsconfig project, so type-aware rules (which need one) are off
// for them; the import rules under test need no type information.
const lintSnippetsScript = `
const { ESLint } = require('eslint');
const tseslint = require('typescript-eslint');
const path = require('node:path');
(async () => {
  const snippets = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
  const eslint = new ESLint({ overrideConfig: { ...tseslint.configs.disableTypeChecked, files: ['src/workflows/**/*.ts'] } });
  const results = [];
  for (const { code, filePath } of snippets) {
    const [result] = await eslint.lintText(code, { filePath: path.resolve(filePath) });
    results.push(result.messages);
  }
  process.stdout.write(JSON.stringify(results));
})().catch((error) => { console.error(error); process.exit(1); });
`;

function lintWorkflowSnippets(snippets: Snippet[]): Linter.LintMessage[][] {
  const output = execFileSync(process.execPath, ['-e', lintSnippetsScript], { cwd: root, input: JSON.stringify(snippets), encoding: 'utf8' });
  return JSON.parse(output) as Linter.LintMessage[][];
}

// [what, snippet, virtual workflow file, rule that must report it]
const forbidden: Array<[string, string, string, string]> = [
  ['Node built-in, bare', `import { readFileSync } from 'fs';\nexport const read = readFileSync;\n`, nested, 'no-restricted-imports'],
  ['Node built-in, node: prefix', `import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n`, nested, 'no-restricted-imports'],
  ['fs/promises', `import { readFile } from 'fs/promises';\nexport const read = readFile;\n`, nested, 'no-restricted-imports'],
  ['node:fs/promises', `import { readFile } from 'node:fs/promises';\nexport const read = readFile;\n`, nested, 'no-restricted-imports'],
  ['path', `import path from 'path';\nexport const join = path.join;\n`, nested, 'no-restricted-imports'],
  ['child_process', `import { spawn } from 'child_process';\nexport const run = spawn;\n`, nested, 'no-restricted-imports'],
  ['node:-only built-in', `import { test } from 'node:test';\nexport const t = test;\n`, nested, 'no-restricted-imports'],
  [
    'activity module value import',
    `import { createCampaignSendActivities } from '../../activities/campaign-send';\nexport const make = createCampaignSendActivities;\n`,
    nested,
    'no-restricted-imports',
  ],
  [
    'activity module value import beside a type',
    `import { type CampaignStatus, createCampaignSendActivities } from '../../activities/campaign-send';\nexport const make = createCampaignSendActivities;\nexport type S = CampaignStatus;\n`,
    nested,
    'no-restricted-imports',
  ],
  [
    'activity module from a top-level workflow file',
    `import { createPlatformActivities } from '../activities/platform';\nexport const make = createPlatformActivities;\n`,
    topLevel,
    'no-restricted-imports',
  ],
  ['db module', `import { recordAudit } from '../../db/audit';\nexport const audit = recordAudit;\n`, nested, 'no-restricted-imports'],
  ['db module re-exported', `export { recordAudit } from '../../db/audit';\n`, nested, 'no-restricted-imports'],
  ['api module', `import { createApp } from '../../api/app';\nexport const app = createApp;\n`, nested, 'no-restricted-imports'],
  ['twilio client module', `import * as clients from '../../twilio/client-factory';\nexport const c = clients;\n`, nested, 'no-restricted-imports'],
  ['mail module', `import * as mail from '../../mail/mailer';\nexport const m = mail;\n`, nested, 'no-restricted-imports'],
  ['@temporalio/activity', `import { Context } from '@temporalio/activity';\nexport const c = Context;\n`, nested, 'no-restricted-imports'],
  ['@temporalio/client', `import { Client } from '@temporalio/client';\nexport const c = Client;\n`, nested, 'no-restricted-imports'],
  ['@temporalio/worker', `import { Worker } from '@temporalio/worker';\nexport const w = Worker;\n`, nested, 'no-restricted-imports'],
  ['pg', `import pg from 'pg';\nexport const p = pg;\n`, nested, 'no-restricted-imports'],
  ['knex', `import knex from 'knex';\nexport const k = knex;\n`, nested, 'no-restricted-imports'],
  ['twilio library', `import twilio from 'twilio';\nexport const t = twilio;\n`, nested, 'no-restricted-imports'],
  ['express', `import express from 'express';\nexport const e = express;\n`, nested, 'no-restricted-imports'],
  ['import = require', `import fs = require('fs');\nexport const read = fs.readFileSync;\n`, nested, 'no-restricted-imports'],
  [
    'require()',
    `const fs = require('fs') as { readFileSync: unknown };\nexport const read = fs.readFileSync;\n`,
    nested,
    '@typescript-eslint/no-require-imports',
  ],
  ['dynamic import()', `export const load = () => import('fs');\n`, nested, 'no-restricted-syntax'],
];

// [what, snippet, virtual workflow file]: the house style, which must lint clean.
const allowed: Array<[string, string, string]> = [
  [
    'import type of an activity module',
    `import type { CampaignSendActivities } from '../../activities/campaign-send';\nexport type A = CampaignSendActivities;\n`,
    nested,
  ],
  ['inline type specifiers only', `import { type CampaignStatus } from '../../activities/campaign-send';\nexport type S = CampaignStatus;\n`, nested],
  ['import type of a db module', `import type { StaffDecisionName } from '../../db/staff-decisions';\nexport type D = StaffDecisionName;\n`, nested],
  [
    'import type from a top-level workflow file',
    `import type { PlatformActivities } from '../activities/platform';\nexport type P = PlatformActivities;\n`,
    topLevel,
  ],
  ['@temporalio/workflow', `import { proxyActivities } from '@temporalio/workflow';\nexport const proxy = proxyActivities;\n`, nested],
  ['@temporalio/common', `import { ApplicationFailure } from '@temporalio/common';\nexport const f = ApplicationFailure;\n`, nested],
  ['./definitions', `import { campaignProgressQuery } from './definitions';\nexport const q = campaignProgressQuery;\n`, nested],
  ['a sibling workflow folder', `import { startMonitorOptions } from '../tenant-monitor/definitions';\nexport const s = startMonitorOptions;\n`, nested],
  ['../search-attributes', `import { ComplianceStateAttribute } from '../search-attributes';\nexport const a = ComplianceStateAttribute;\n`, nested],
  ['a pure domain module', `import { tenantSlug } from '../../domain/tenant-naming';\nexport const slug = tenantSlug;\n`, nested],
  ['a pure domain module from a top-level workflow file', `import { tenantSlug } from '../domain/tenant-naming';\nexport const slug = tenantSlug;\n`, topLevel],
];

let forbiddenMessages: Linter.LintMessage[][];
let allowedMessages: Linter.LintMessage[][];
beforeAll(() => {
  const messages = lintWorkflowSnippets([...forbidden, ...allowed].map(([, code, filePath]) => ({ code, filePath })));
  forbiddenMessages = messages.slice(0, forbidden.length);
  allowedMessages = messages.slice(forbidden.length);
});

describe('workflow files: forbidden imports fail lint', () => {
  it.each(forbidden.map(([what, , , ruleId], index) => [what, ruleId, index] as const))('%s (%s)', (_what, ruleId, index) => {
    const messages = forbiddenMessages[index];
    expect(messages.filter((message) => message.fatal)).toEqual([]);
    expect(messages.map((message) => message.ruleId)).toContain(ruleId);
  });
});

describe('workflow files: house-style imports pass lint', () => {
  it.each(allowed.map(([what], index) => [what, index] as const))('%s', (_what, index) => {
    expect(allowedMessages[index]).toEqual([]);
  });
});
