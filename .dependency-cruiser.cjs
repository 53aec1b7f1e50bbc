/*
 * Imports in the shipped code run one way: operations → transport → errors, money, validation.
 * eslint's import-x/no-cycle sees files only; two folders that import each other through
 * different files pass it, so the cycle is checked here per folder as well.
 */
module.exports = {
	forbidden: [
		{
			name: 'no-folder-cycle',
			comment: 'A folder of nodes/ or credentials/ imports a folder that imports it back.',
			severity: 'error',
			scope: 'folder',
			from: { path: '^(nodes|credentials)/' },
			to: { circular: true },
		},
		{
			name: 'no-import-from-parent-folder',
			comment: 'The folder scope above sees a subfolder as part of its parent: a file there importing its parent folder closes a cycle too.',
			severity: 'error',
			from: { path: '^((?:nodes|credentials)/.+)/[^/]+/[^/]+$' },
			to: { path: '^$1/[^/]+$' },
		},
		{
			name: 'credential-imports-sign-in-only',
			comment: 'The credential reads as one unit: of the node code it uses the sign-in module alone.',
			severity: 'error',
			from: { path: '^credentials/' },
			to: { path: '^nodes/', pathNot: '^nodes/Letpay/transport/signIn\\.ts$' },
		},
		{
			name: 'no-file-cycle',
			severity: 'error',
			from: { path: '^(nodes|credentials)/' },
			to: { circular: true },
		},
	],
	options: {
		// Type-only imports count: a reader follows them too.
		tsPreCompilationDeps: true,
		tsConfig: { fileName: 'tsconfig.json' },
		doNotFollow: { path: 'node_modules' },
		exclude: { path: '^(dist|node_modules)/' },
	},
};
