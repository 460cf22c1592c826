/**
 * The documentation lives in the repository and stays whole: every link and image in its markdown
 * files is relative and lands on a file of the repository (and, for a markdown page, on one of its
 * headings), nothing names the specification or design notes that used to live outside it, and
 * docs/rules.md defines every rule number the tests cite, each exactly once.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** The rule numbers docs/rules.md must define: R1..R17 from the user's guide, E1..E6 engineering. */
const RULES = [...Array.from({ length: 17 }, (_, i) => `R${i + 1}`), ...Array.from({ length: 6 }, (_, i) => `E${i + 1}`)];

/** A repository path as git writes it: relative to the root, '/'-separated. */
function repoPath(absolute: string): string {
  return relative(ROOT, absolute).split(sep).join('/');
}

/**
 * What .gitignore keeps out of the repository, for the subset of its syntax the file uses: `name`,
 * `dir/`, `/anchored/`, `a/b` and `*` wildcards. Anything else (negation, `**`, escapes) throws,
 * so that a new kind of pattern cannot make the walk below read or skip the wrong files silently.
 */
function gitignoreMatcher(text: string): (path: string, isDirectory: boolean) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      if (line.startsWith('!') || line.includes('**') || line.includes('\\') || line.includes('[')) {
        throw new Error(`.gitignore pattern not understood by test/docs/links.test.ts: ${line}`);
      }
      const directoryOnly = line.endsWith('/');
      const body = line.replace(/^\//, '').replace(/\/$/, '');
      const anchored = line.startsWith('/') || body.includes('/');
      const source = body.split('*').map((part) => part.replace(/[.+?^${}()|]/g, '\\$&')).join('[^/]*');
      return { directoryOnly, anchored, pattern: new RegExp(`^${source}$`) };
    });
  return (path, isDirectory) =>
    rules.some((rule) => {
      if (rule.directoryOnly && !isDirectory) return false;
      return rule.pattern.test(rule.anchored ? path : path.slice(path.lastIndexOf('/') + 1));
    });
}

const ignored = gitignoreMatcher(readFileSync(join(ROOT, '.gitignore'), 'utf8'));

/** True when a repository path (file or folder) or one of the folders above it is ignored. */
function outsideRepository(path: string): boolean {
  const parts = path.split('/');
  return parts.some((part, i) => part === '.git' || ignored(parts.slice(0, i + 1).join('/'), i < parts.length - 1 || isDirectory(path)));
}

function isDirectory(path: string): boolean {
  return existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isDirectory();
}

/** Every file of the repository: the working tree without .git and what .gitignore excludes. */
function repositoryFiles(dir = ''): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.name === '.git' || ignored(path, entry.isDirectory())) return [];
    return entry.isDirectory() ? repositoryFiles(path) : [path];
  });
}

/** The text with fenced code blocks blanked out (same length, same lines). */
function withoutFences(markdown: string): string {
  let inFence = false;
  const lines = markdown.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      return ' '.repeat(line.length);
    }
    return inFence ? ' '.repeat(line.length) : line;
  });
  return lines.join('\n');
}

/**
 * The text with fenced code blocks and inline code spans blanked out (same length, same lines):
 * a link written inside code is an example, not a link.
 */
function withoutCode(markdown: string): string {
  return withoutFences(markdown).replace(/(`+)[^`][\s\S]*?\1/g, (code) => ' '.repeat(code.length));
}

/** GitHub's anchor for a heading's text (github-slugger): lower case, punctuation dropped, spaces to '-'. */
function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a markdown page offers: one per heading (repeats get -1, -2...), and HTML ids. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const text = withoutFences(markdown);
  for (const match of text.matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/gm)) {
    const base = slug(match[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const match of text.matchAll(/<a\s[^>]*\b(?:id|name)\s*=\s*["']([^"']+)["']/gi)) anchors.add(match[1]!);
  return anchors;
}

interface LinkProblem {
  file: string;
  target: string;
  problem: string;
}

/** Where markdown puts a link target: inline links and images, reference definitions, autolinks, HTML attributes. */
const LINK_PATTERNS = [
  /!?\[(?:[^[\]\\]|\\.|\[[^[\]]*\])*\]\(\s*(<[^>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g,
  /^ {0,3}\[[^\]]+\]:\s*(\S+)/gm,
  /<([a-z][a-z0-9+.-]*:[^\s<>]*)>/gi,
  /\b(?:href|src)\s*=\s*["']([^"']*)["']/gi,
];

/** Every link target in a markdown text, outside code. */
function linkTargets(markdown: string): string[] {
  const text = withoutCode(markdown);
  return LINK_PATTERNS.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]!.replace(/^<(.*)>$/, '$1')));
}

/** Web addresses written as plain text outside code and links: GitHub renders them as links too. */
function bareAddresses(markdown: string): string[] {
  const text = LINK_PATTERNS.reduce((rest, pattern) => rest.replace(pattern, (link) => ' '.repeat(link.length)), withoutCode(markdown));
  return [...text.matchAll(/\b(?:https?:\/\/|www\.)[^\s)>]+/gi)].map((m) => m[0]);
}

/** What is wrong with one link target written in `file` (a repository path), or null. */
function targetProblem(file: string, markdown: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return 'leaves the repository';
  if (target === '') return 'empty link';
  const hash = target.indexOf('#');
  const pathPart = hash === -1 ? target : target.slice(0, hash);
  const anchor = hash === -1 ? null : target.slice(hash + 1);
  if (pathPart.startsWith('/')) return 'an absolute path: links must be relative';
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch (error) {
    return `not a valid path (${(error as Error).message})`;
  }
  const absolute = decoded === '' ? join(ROOT, file) : resolve(ROOT, dirname(file), decoded);
  const path = repoPath(absolute);
  if (path.startsWith('..') || isAbsolute(path)) return 'escapes the repository';
  if (decoded !== '' && !existsSync(absolute)) return `no such file: ${path}`;
  if (decoded !== '' && outsideRepository(path)) return `${path} is not part of the repository (.gitignore)`;
  if (anchor !== null && path.endsWith('.md')) {
    const page = decoded === '' ? markdown : readFileSync(absolute, 'utf8');
    if (!anchorsOf(page).has(anchor)) return `no heading #${anchor} in ${path}`;
  }
  return null;
}

/** Every problem of the links of one markdown text, plus any web address written bare (GitHub links those too). */
function markdownProblems(file: string, markdown: string): LinkProblem[] {
  const problems: LinkProblem[] = [];
  for (const target of linkTargets(markdown)) {
    const problem = targetProblem(file, markdown, target);
    if (problem !== null) problems.push({ file, target, problem });
  }
  for (const address of bareAddresses(markdown)) {
    problems.push({ file, target: address, problem: 'a bare web address leaves the repository' });
  }
  return problems;
}

const FILES = repositoryFiles();
const MARKDOWN = FILES.filter((file) => file.endsWith('.md'));

describe('links in the documentation', () => {
  it('finds the README and the docs pages', () => {
    expect(MARKDOWN).toContain('README.md');
    expect(MARKDOWN).toContain('docs/rules.md');
    expect(MARKDOWN).toContain('docs/design.md');
  });

  it('every link and image in every markdown file is relative and lands on a file of the repository, at a heading that exists', () => {
    const problems = MARKDOWN.flatMap((file) => markdownProblems(file, readFileSync(join(ROOT, file), 'utf8')));
    expect(problems).toEqual([]);
  });

  it('the check reports web and mail addresses, absolute paths, escapes from the repository, missing files, unknown headings and bare addresses, and skips code', () => {
    const sample = [
      '# A page',
      '[web](https://example.org/x) and [mail](mailto:someone@example.org) and <http://example.org/auto>',
      '[up](../../outside.md) ![absolute](/etc/hosts) [gone](no-such-page.md) [heading](rules.md#no-such-heading)',
      '[ignored](../node_modules/xstate/package.json)',
      '[ref]: https://example.org/ref',
      'bare: www.example.org/page',
      '`[in code](https://example.org/code)`',
      '```',
      '[in a fence](https://example.org/fence)',
      '```',
      '[fine](rules.md#r7-no-reset) [also fine](#a-page) [folder](../src/format/) [picture](machines/backup.svg)',
    ].join('\n');
    const found = markdownProblems('docs/sample.md', sample).map(({ target, problem }) => `${target}: ${problem}`);
    expect(found).toEqual([
      'https://example.org/x: leaves the repository',
      'mailto:someone@example.org: leaves the repository',
      '../../outside.md: escapes the repository',
      '/etc/hosts: an absolute path: links must be relative',
      'no-such-page.md: no such file: docs/no-such-page.md',
      'rules.md#no-such-heading: no heading #no-such-heading in docs/rules.md',
      '../node_modules/xstate/package.json: node_modules/xstate/package.json is not part of the repository (.gitignore)',
      'https://example.org/ref: leaves the repository',
      'http://example.org/auto: leaves the repository',
      'www.example.org/page: a bare web address leaves the repository',
    ]);
  });

  it("anchors are GitHub's: lower case, punctuation dropped, spaces to hyphens, repeats numbered", () => {
    expect([...anchorsOf("## The user's rules\n### R7: No reset\n## `wallet-backup audit`\n## Notes\n## Notes\n")]).toEqual([
      'the-users-rules',
      'r7-no-reset',
      'wallet-backup-audit',
      'notes',
      'notes-1',
    ]);
  });

  it('the README links every docs page', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const linked = new Set(linkTargets(readme).map((target) => repoPath(resolve(ROOT, target.split('#')[0]!))));
    const pages = MARKDOWN.filter((file) => file.startsWith('docs/'));
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.filter((page) => !linked.has(page))).toEqual([]);
  });

  it('no file names the specification or design notes that lived outside the repository', () => {
    // Built from parts, so that this file does not name them itself.
    const outside = [['shared', 'SPEC.md'], ['shared', 'DESIGN.md'], ['..', 'shared']].map((parts) => parts.join('/'));
    const mentions = FILES.flatMap((file) => {
      const bytes = readFileSync(join(ROOT, file));
      return outside.filter((needle) => bytes.includes(needle)).map((needle) => `${file}: ${needle}`);
    });
    expect(FILES.length).toBeGreaterThan(100);
    expect(mentions).toEqual([]);
  });
});

/** The rule numbers defined by a heading of docs/rules.md ("### R7: No reset"), in order, repeats kept. */
function definedRules(markdown: string): string[] {
  return [...withoutCode(markdown).matchAll(/^ {0,3}#{1,6}[ \t]+([RE]\d+)\b/gm)].map((m) => m[1]!);
}

/**
 * The rule numbers a text cites (R7, E3, "R8/R9", "(R10)"): not preceded by a word character or by
 * % (a URL escape such as %E0), not followed by a word character (so hex such as E2822241 is none).
 */
function citations(text: string): string[] {
  return [...text.matchAll(/(?<![%\w])([RE]\d{1,2})(?!\w)/g)].map((m) => m[1]!);
}

/** Every rule number cited anywhere in test/, with a file that cites it. */
function citedRules(): Map<string, string> {
  const cited = new Map<string, string>();
  for (const file of FILES.filter((f) => f.startsWith('test/') && /\.(ts|mjs|js|md)$/.test(f))) {
    for (const rule of citations(readFileSync(join(ROOT, file), 'utf8'))) if (!cited.has(rule)) cited.set(rule, file);
  }
  return cited;
}

describe('docs/rules.md', () => {
  const rules = readFileSync(join(ROOT, 'docs/rules.md'), 'utf8');

  it('defines each of R1..R17 and E1..E6 exactly once, and no other number', () => {
    const defined = definedRules(rules);
    for (const rule of RULES) expect(defined.filter((d) => d === rule), rule).toHaveLength(1);
    expect([...defined].sort()).toEqual([...RULES].sort());
  });

  it('defines every rule number a test cites', () => {
    const defined = new Set(definedRules(rules));
    const cited = citedRules();
    expect(cited.size).toBeGreaterThanOrEqual(RULES.length);
    const undefinedRules = [...cited].filter(([rule]) => !defined.has(rule)).map(([rule, file]) => `${rule} (cited in ${file})`);
    expect(undefinedRules).toEqual([]);
  });

  it('reads a definition only from a heading, and a citation however it is written', () => {
    expect(definedRules('### R3: The password\nR4 in a sentence\n```\n### R5: in a fence\n```\n## E2: Formats\n')).toEqual(['R3', 'E2']);
    // The number past R17 is built at run time, so that this file does not cite it.
    const past = `R${RULES.length}`;
    expect(citations(`it('R8/R9: ...') (R10) E6, ${past}; %E0%A4 X'E2822241' ER2 R1x`)).toEqual(['R8', 'R9', 'R10', 'E6', past]);
  });
});
