const path = require('path');
const { task, src, dest } = require('gulp');

// tsc only emits JavaScript; the node and credential point at their icon with a relative
// `file:` path, so the icons must sit in dist/ beside the compiled code.
task('build:icons', copyIcons);

function copyIcons() {
	return src(path.resolve('icons', '**', '*.{png,svg}'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'icons')),
	);
}
