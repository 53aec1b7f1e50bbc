import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';

import { chromiumArgs, ensureChromium } from '../../scripts/lib/browser';
import { EXAMPLES, exampleWithCredential } from '../../scripts/lib/examples';
import { ownerCookie } from './executions';
import { progress, sleep } from '../../scripts/lib/processes';
import { expectEqual } from './assertions';
import type { CaseContext } from './cases';

/*
 * What a user sees in n8n's editor, in a real browser (Debian's Chromium, driven by puppeteer-core):
 * the Capture node's panel of the scheduled example.
 */
const SCHEDULED_ID = 'letpaySchedule01';
const SETTLED_ID = 'letpaySettled001';
const TRIGGER_NODE = 'Payment status changed';
const CAPTURE_NODE = 'Capture payment';

/** Outside the repository: every run writes its own, the paths are printed. */
export function screenshotFolder(version: string): string {
	const folder = path.join(tmpdir(), 'letpay-e2e-screenshots', version);
	mkdirSync(folder, { recursive: true });
	return folder;
}

/** The owner's session cookie: the owner set up by the webhook case, or set up here when it did not get that far. */
/** Opens a node's panel the way a builder does: a double-click on it on the canvas. */
async function doubleClickNode(page: Page, name: string, ready: string) {
	const node = await page.waitForSelector(`[data-test-id="canvas-node"][data-node-name="${name}"]`, { timeout: 60_000 });
	const box = await node!.boundingBox();
	if (!box) throw new Error(`the canvas node "${name}" has no box`);
	await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { clickCount: 2 });
	await page.waitForSelector(ready, { timeout: 30_000 });
	await sleep(500); // the panel's opening animation
}

/**
 * Elements (not inline: their clientWidth is 0) under `selector` whose text is wider than their
 * box, i.e. cut off or hidden behind an ellipsis: scrollWidth > clientWidth.
 */
async function cutOffLabels(page: Page, selector: string): Promise<{ labels: string[]; cutOff: string[] }> {
	return await page.$$eval(selector, (elements) => {
		const labels: string[] = [];
		const cutOff: string[] = [];
		for (const element of elements) {
			const text = (element as HTMLElement).innerText.trim();
			labels.push(text);
			for (const box of [element, ...Array.from(element.querySelectorAll('*'))] as HTMLElement[]) {
				if (getComputedStyle(box).display === 'inline' || box.clientWidth === 0) continue;
				if (box.scrollWidth > box.clientWidth) cutOff.push(`${text} (${box.scrollWidth} > ${box.clientWidth})`);
			}
		}
		return { labels, cutOff };
	});
}

async function openCaptureNode(page: Page) {
	// A session left by an earlier browser holds the workflow: "Editing in another tab", "Edit here".
	await sleep(1000);
	const editHere = await page.evaluateHandle(() =>
		Array.from(document.querySelectorAll('button')).find((button) => button.innerText.trim() === 'Edit here'),
	);
	const editButton = editHere.asElement() as ElementHandle<HTMLButtonElement> | null;
	if (editButton) {
		await editButton.click();
		await sleep(500);
	}
	await doubleClickNode(page, CAPTURE_NODE, '[data-test-id="ndv"] [data-test-id="parameter-input-amount"]');
}

/** (a) The safety notice: its text is on screen, whole (not clipped, not collapsed). */
async function checkNotice(page: Page) {
	const notice = await page.$$eval('[data-test-id="ndv"] *', (elements) => {
		// The innermost element holding the sentence.
		const holders = elements.filter((element) => (element as HTMLElement).innerText?.includes('Retry On Fail'));
		const inner = holders.find((element) => !holders.some((other) => other !== element && element.contains(other))) as HTMLElement | undefined;
		if (!inner) return undefined;
		const rect = inner.getBoundingClientRect();
		const style = getComputedStyle(inner);
		return {
			text: inner.innerText,
			visible: rect.width > 0 && rect.height > 0 && style.visibility === 'visible' && Number(style.opacity) > 0,
			onScreen: rect.top >= 0 && rect.left >= 0 && rect.bottom <= window.innerHeight && rect.right <= window.innerWidth,
			whole: inner.scrollHeight <= inner.clientHeight + 1 && inner.scrollWidth <= inner.clientWidth + 1,
		};
	});
	if (!notice) throw new Error('no element of the node panel holds "Retry On Fail"');
	expectEqual(`the safety notice (${notice.text})`, { visible: notice.visible, onScreen: notice.onScreen, whole: notice.whole }, {
		visible: true,
		onScreen: true,
		whole: true,
	});
	expectEqual('the safety notice says to keep Retry On Fail off', /Retry On Fail setting off/.test(notice.text), true);
}

/**
 * (b) Option labels: every entry of Options -> Add Option, and the label of every option once
 * added (each option is added, one at a time, from the list).
 */
async function checkOptionLabels(page: Page, folder: string): Promise<string[]> {
	const addOption = '[data-test-id="ndv"] [data-test-id="collection-parameter-add"]';
	const listEntry = '[data-test-id="collection-parameter-option"]';
	await page.click(addOption);
	await page.waitForSelector(listEntry, { visible: true });
	await sleep(300);
	const list = await cutOffLabels(page, listEntry);
	const listShot = path.join(folder, 'capture-add-option-list.png');
	await page.screenshot({ path: listShot });
	expectEqual('Add Option entries of Capture (none empty)', list.labels.length >= 5 && list.labels.every((label) => label !== ''), true);
	expectEqual(`Add Option entries cut off (of ${list.labels.join(', ')})`, list.cutOff, []);
	await page.keyboard.press('Escape');

	for (const label of list.labels) {
		await page.click(addOption);
		await page.waitForSelector(listEntry, { visible: true });
		const clicked = await page.$$eval(listEntry, (entries, wanted) => {
			const entry = entries.find((candidate) => (candidate as HTMLElement).innerText.trim() === wanted) as HTMLElement | undefined;
			entry?.click();
			return Boolean(entry);
		}, label);
		if (!clicked) throw new Error(`"${label}" is no longer in Add Option`);
		await sleep(300);
	}
	// The added options' labels (the ones inside the Options collection, at the panel's width).
	const addedLabels = '[data-test-id="ndv"] .indent[data-test-id="parameter-item"] label.n8n-input-label';
	const added = await cutOffLabels(page, addedLabels);
	// Control: the same measurement on a label squeezed to 40 px must find it cut off (n8n's label
	// title is one line, `overflow: hidden; text-overflow: ellipsis`), or it proves nothing.
	await page.$eval(addedLabels, (label) => (label as HTMLElement).style.setProperty('max-width', '40px'));
	const squeezed = await cutOffLabels(page, addedLabels);
	await page.$eval(addedLabels, (label) => (label as HTMLElement).style.removeProperty('max-width'));
	expectEqual('control: a label squeezed to 40 px is found cut off', squeezed.cutOff.length > 0, true);
	const optionsShot = path.join(folder, 'capture-options-added.png');
	await page.screenshot({ path: optionsShot });
	expectEqual(`labels of the added options (${added.labels.join(', ')})`, added.labels.length, list.labels.length);
	expectEqual('added option labels cut off', added.cutOff, []);
	return [listShot, optionsShot];
}

/** (c) Amount in fixed mode keeps 12.345 as typed (the node itself refuses it at run time). */
async function checkAmount(page: Page, url: string, cookie: string): Promise<number> {
	const amount = '[data-test-id="ndv"] [data-test-id="parameter-input-amount"]';
	await page.hover(amount);
	await page.click('[data-test-id="amount-parameter-input-options-container"] [data-test-id="radio-button-fixed"]');
	const input = await page.waitForSelector(`${amount} input`, { visible: true });
	await input!.click({ clickCount: 3 });
	await page.keyboard.type('12.345');
	await page.keyboard.press('Tab'); // blur: a numberPrecision would round here
	await sleep(300);
	const shown = await page.$eval(`${amount} input`, (element) => (element as HTMLInputElement).value);
	expectEqual('Amount as shown after blur', shown, '12.345');
	await page.click('[data-test-id="ndv-close-button"]');
	await sleep(300);
	await page.keyboard.down('Control');
	await page.keyboard.press('s');
	await page.keyboard.up('Control');
	// Saved when n8n's REST API returns it.
	let stored: unknown;
	for (let attempt = 0; attempt < 40; attempt += 1) {
		const workflow = (await (await fetch(`${url}/rest/workflows/${SCHEDULED_ID}`, { headers: { cookie } })).json()) as {
			data: { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };
		};
		stored = workflow.data.nodes.find((node) => node.name === CAPTURE_NODE)?.parameters.amount;
		if (typeof stored === 'number') break;
		await sleep(250);
	}
	expectEqual('Amount as saved (GET /rest/workflows)', stored, 12.345);
	return stored as number;
}

/** The latest stored execution of the scheduled example (the `n8n execute` runs of the earlier cases). */
async function latestScheduledExecution(url: string, cookie: string): Promise<string> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId: SCHEDULED_ID, status: ['success'] }));
	const response = await fetch(`${url}/rest/executions?filter=${filter}&limit=10`, { headers: { cookie } });
	const body = (await response.json()) as { data?: { results?: Array<{ id: string; status: string; startedAt?: string }> } };
	const results = body.data?.results ?? [];
	if (!response.ok || results.length === 0) {
		throw new Error(`no stored successful execution of ${SCHEDULED_ID} (GET /rest/executions: ${response.status} ${JSON.stringify(body).slice(0, 500)})`);
	}
	return results.map((execution) => execution.id).sort((a, b) => Number(b) - Number(a))[0];
}

/** Text of the node panel's output side (the whole panel when n8n names it otherwise). */
async function outputText(page: Page): Promise<string> {
	return await page.evaluate(() => {
		const panel = document.querySelector('[data-test-id="output-panel"]') ?? document.querySelector('[data-test-id="ndv"]');
		return (panel as HTMLElement | null)?.innerText ?? '';
	});
}

async function waitForOutputText(page: Page, wanted: string, what: string) {
	for (let attempt = 0; attempt < 60; attempt += 1) {
		if ((await outputText(page)).includes(wanted)) return;
		await sleep(250);
	}
	throw new Error(`${what}: the output panel never shows "${wanted}"; it shows: ${(await outputText(page)).slice(0, 1500)}`);
}

/** Clicks the innermost element of the output panel's branch switch whose text starts with `label`. */
async function chooseBranch(page: Page, label: string) {
	const clicked = await page.evaluate((wanted) => {
		const root = document.querySelector('[data-test-id="branches"]') ?? document.querySelector('[data-test-id="output-panel"]');
		if (!root) return false;
		const matches = (Array.from(root.querySelectorAll('*')) as HTMLElement[]).filter((element) => element.innerText?.trim().startsWith(wanted));
		const inner = matches.find((element) => !matches.some((other) => other !== element && element.contains(other)));
		inner?.click();
		return Boolean(inner);
	}, label);
	if (!clicked) throw new Error(`the output panel has no branch "${label}"; it shows: ${(await outputText(page)).slice(0, 1500)}`);
	await sleep(500);
}

/**
 * (d) The node's two outputs as a builder sees them after a run: the stored execution of the
 * scheduled example, its "Capture payment" node opened; the success branch, then the error branch.
 */
async function checkOutputs(page: Page, url: string, cookie: string, folder: string): Promise<string[]> {
	const executionId = await latestScheduledExecution(url, cookie);
	await page.setViewport({ width: 1600, height: 900 }); // room for the output's columns
	// The node's id in the example: an execution's address can open the node.
	const nodes = exampleWithCredential(EXAMPLES.scheduled).nodes as Array<{ id?: string; name?: string }>;
	const nodeId = nodes.find((node) => node.name === CAPTURE_NODE)?.id ?? '';
	await page.goto(`${url}/workflow/${SCHEDULED_ID}/executions/${executionId}/${nodeId}`, { waitUntil: 'networkidle2', timeout: 90_000 });
	const panel = await page.waitForSelector('[data-test-id="ndv"]', { timeout: 15_000 }).catch(() => null);
	if (!panel) {
		// The node is not opened from the address: double-click it on the execution's canvas.
		await doubleClickNode(page, CAPTURE_NODE, '[data-test-id="ndv"]');
	}
	await sleep(500);
	await chooseBranch(page, 'Success');
	await waitForOutputText(page, 'PROCESSING', `execution ${executionId}, success branch`);
	const successShot = path.join(folder, 'output-captured.png');
	await page.screenshot({ path: successShot });
	await chooseBranch(page, 'Error');
	// As JSON: each error's fields whole (the table squeezes nested objects into one column).
	await page.evaluate(() => {
		const panel = document.querySelector('[data-test-id="output-panel"]');
		const toggles = (Array.from(panel?.querySelectorAll('*') ?? []) as HTMLElement[]).filter((element) => element.innerText?.trim() === 'JSON');
		toggles.find((element) => !toggles.some((other) => other !== element && element.contains(other)))?.click();
	});
	await sleep(500);
	await waitForOutputText(page, 'outcome', `execution ${executionId}, error branch`);
	const errorShot = path.join(folder, 'output-needs-attention.png');
	await page.screenshot({ path: errorShot });
	return [successShot, errorShot];
}

/** (e) The Letpay Trigger's panel, as a builder opens it in the example capture-settled.json. */
async function triggerPanel(page: Page, url: string, folder: string): Promise<string> {
	await page.setViewport({ width: 1280, height: 800 });
	await page.goto(`${url}/workflow/${SETTLED_ID}`, { waitUntil: 'networkidle2', timeout: 90_000 });
	await doubleClickNode(page, TRIGGER_NODE, '[data-test-id="ndv"]');
	await sleep(300);
	const text = await page.$eval('[data-test-id="ndv"]', (panel) => (panel as HTMLElement).innerText);
	for (const expected of ['Statuses', 'Simplify', 'notification_url']) {
		if (!text.includes(expected)) throw new Error(`the Letpay Trigger's panel does not show "${expected}": ${text.slice(0, 1500)}`);
	}
	const shot = path.join(folder, 'trigger-panel.png');
	await page.screenshot({ path: shot });
	return shot;
}

/**
 * f. The Capture node's panel in n8n's editor (2.x): log in, open the scheduled example, double-click
 * "Capture payment"; the safety notice, option labels that fit, Amount 12.345 kept as typed; then
 * the node's success and error outputs in the stored execution of an earlier case's run.
 * The case saves a changed example: it imports the shipped one again at its end.
 */
export async function editorInBrowser({ n8n }: CaseContext) {
	const executablePath = await ensureChromium();
	const folder = screenshotFolder(n8n.runtime.version);
	await n8n.start();
	let browser: Browser | undefined;
	const shots: string[] = [];
	try {
		const cookie = await ownerCookie(n8n.url);
		const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];
		browser = await puppeteer.launch({ executablePath, headless: true, args: chromiumArgs(), defaultViewport: { width: 1280, height: 800 } });
		const page = await browser.newPage();
		await page.setCookie({ name, value, url: n8n.url });
		await page.goto(`${n8n.url}/workflow/${SCHEDULED_ID}`, { waitUntil: 'networkidle2', timeout: 90_000 });
		await openCaptureNode(page);
		const panelShot = path.join(folder, 'capture-panel.png');
		await page.screenshot({ path: panelShot });
		shots.push(panelShot);
		await checkNotice(page);
		shots.push(...(await checkOptionLabels(page, folder)));
		await checkAmount(page, n8n.url, cookie);
		shots.push(...(await checkOutputs(page, n8n.url, cookie, folder)));
		shots.push(await triggerPanel(page, n8n.url, folder));
	} finally {
		await browser?.close();
		await n8n.stop();
		if (shots.length > 0) progress(`screenshots: ${shots.join(' ')}`);
	}
	await n8n.importWorkflow(exampleWithCredential(EXAMPLES.scheduled));
}
