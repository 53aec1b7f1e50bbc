import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/*
 * The lint config once parsed package.json with a parser its rules could not read: a runtime
 * dependency or a postinstall script passed `npm run lint`. These tests plant each problem in
 * an otherwise real file and expect the rule that must report it, and nothing else.
 * ESLint runs in a child process (see lintInChild.mjs for why).
 */

const ROOT = path.resolve(__dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown> & {
	author: { name: string };
	scripts: Record<string, string>;
};
const asText = (json: object) => `${JSON.stringify(json, null, 2)}\n`;

function inChild<T>(mode: 'project' | 'scanner', input: unknown): T {
	const child = spawnSync(process.execPath, [path.join(__dirname, 'lintInChild.mjs'), mode], {
		cwd: ROOT,
		input: JSON.stringify(input),
		encoding: 'utf8',
	});
	if (child.status !== 0) throw new Error(`lintInChild.mjs ${mode} failed: ${child.stderr}`);
	return JSON.parse(child.stdout) as T;
}

/** A node parameter whose name says "token": n8n's rules take it for a secret. */
const TOKEN_PARAMETER = (comment = '') => `import type { INodeProperties } from 'n8n-workflow';

export const description: INodeProperties[] = [
	{
		displayName: 'Payment Token',
		name: 'paymentToken',
${comment}		type: 'string',
		default: '',
	},
];
`;
const USES_SET_TIMEOUT = 'export const wait = () => new Promise((resolve) => setTimeout(resolve, 5));\n';

describe('npm run lint (eslint.config.mjs)', () => {
	const plants: Array<[string, string, string, string[]]> = [
		['package.json as it is', 'package.json', asText(packageJson), []],
		[
			'a runtime dependency',
			'package.json',
			asText({ ...packageJson, dependencies: { 'left-pad': '1.3.0' } }),
			['@n8n/community-nodes/no-runtime-dependencies'],
		],
		[
			'a postinstall script',
			'package.json',
			asText({ ...packageJson, scripts: { ...packageJson.scripts, postinstall: 'echo hi' } }),
			['@n8n/community-nodes/no-forbidden-lifecycle-scripts'],
		],
		[
			'an author without an email',
			'package.json',
			asText({ ...packageJson, author: { name: packageJson.author.name } }),
			['@n8n/community-nodes/valid-author'],
		],
		[
			'an overrides field',
			'package.json',
			asText({ ...packageJson, overrides: { 'left-pad': '1.3.0' } }),
			['@n8n/community-nodes/no-overrides-field'],
		],
		[
			'a node parameter named like a secret',
			'nodes/Letpay/planted.ts',
			TOKEN_PARAMETER(),
			['n8n-nodes-base/node-param-type-options-password-missing'],
		],
		['setTimeout in node code', 'nodes/Letpay/planted.ts', USES_SET_TIMEOUT, ['@n8n/community-nodes/no-restricted-globals']],
		['setTimeout in a test (tests may use timers)', 'test/planted.ts', USES_SET_TIMEOUT, []],
		['a token parameter in a script (not node code)', 'scripts/planted.ts', TOKEN_PARAMETER(), []],
	];

	test('each planted problem is reported by its rule, and only by it', () => {
		const reported = inChild<string[][]>(
			'project',
			plants.map(([, file, text]) => ({ file, text })),
		);
		expect(plants.map(([name], index) => [name, reported[index]])).toEqual(
			plants.map(([name, , , rules]) => [name, rules]),
		);
	});
});

/** One reported error in ESLint's stylish output: `  8:3  error  message  rule`. */
const ERROR_LINE = /^\s+\d+:\d+\s+error\s/gm;

describe("n8n's package scanner analysis (scripts/lint/scanPackage.mjs)", () => {
	test('ignores eslint-disable comments and runs the n8n-nodes-base rules', () => {
		const { passed, details } = inChild<{ passed: boolean; details?: string }>('scanner', {
			files: {
				'package.json': asText(packageJson),
				'nodes/Letpay/planted.ts': TOKEN_PARAMETER(
					'\t\t// eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing\n',
				),
			},
		});
		expect(passed).toBe(false);
		expect(details?.match(ERROR_LINE)).toHaveLength(1);
		expect(details).toMatch(/planted\.ts\n\s+8:3\s+error .* n8n-nodes-base\/node-param-type-options-password-missing\n/);
	});

	test('reports a runtime dependency and a postinstall script in package.json', () => {
		const { passed, details } = inChild<{ passed: boolean; details?: string }>('scanner', {
			files: {
				'package.json': asText({
					...packageJson,
					dependencies: { 'left-pad': '1.3.0' },
					scripts: { ...packageJson.scripts, postinstall: 'echo hi' },
				}),
			},
		});
		expect(passed).toBe(false);
		expect(details?.match(ERROR_LINE)).toHaveLength(2);
		expect(details).toContain('@n8n/community-nodes/no-runtime-dependencies');
		expect(details).toContain('@n8n/community-nodes/no-forbidden-lifecycle-scripts');
	});
});
