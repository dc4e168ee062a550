import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/**
 * The layering of README "How it is built", checked on the source: data flows routers → services →
 * repositories → db, `shared/` is used by both sides and depends on neither, and nothing imports in a
 * circle. The imports are read with a regular expression, which is enough for this code base (static
 * `import … from` / `export … from` statements, relative paths and the `~~/`, `~/`, `@@/`, `#shared/` aliases).
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const LAYERS = ['db', 'server', 'shared']

const ALIASES: [string, string][] = [
  ['~~/', ''],
  ['@@/', ''],
  ['~/', ''],
  ['#shared/', 'shared/'],
]

interface ImportEdge {
  /** the imported module's path relative to the repository root, with `/` */
  to: string
  typeOnly: boolean
}

function listTs(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) out.push(...listTs(full))
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full)
  }
  return out
}

const toKey = (abs: string): string => relative(root, abs).split(sep).join('/')

function resolveFile(base: string): string | null {
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return null
}

/** The project files a source imports; packages and virtual modules (`h3`, `#imports`) are skipped. */
function importsOf(file: string, text: string): ImportEdge[] {
  const specifiers: { spec: string; typeOnly: boolean }[] = []
  // `import x from`, `import type { a, b as c } from`, `export * from`, multi-line specifier lists
  const fromRe = /(?:^|\n)\s*(import|export)\s+(type\s+)?[\w\s{},*$]*?from\s*['"]([^'"]+)['"]/g
  for (const m of text.matchAll(fromRe)) specifiers.push({ spec: m[3]!, typeOnly: Boolean(m[2]) })
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) specifiers.push({ spec: m[1]!, typeOnly: false })
  const out: ImportEdge[] = []
  for (const { spec, typeOnly } of specifiers) {
    let base: string | null = null
    if (spec.startsWith('.')) base = resolve(dirname(file), spec)
    else {
      const alias = ALIASES.find(([prefix]) => spec.startsWith(prefix))
      if (alias) base = resolve(root, alias[1] + spec.slice(alias[0].length))
    }
    if (base == null) continue
    const target = resolveFile(base)
    if (target == null) throw new Error(`${toKey(file)}: cannot resolve import '${spec}'`)
    out.push({ to: toKey(target), typeOnly })
  }
  return out
}

/** Every source file of the layers, with its project imports. */
function importGraph(): Map<string, ImportEdge[]> {
  const graph = new Map<string, ImportEdge[]>()
  for (const layer of LAYERS) {
    for (const file of listTs(join(root, layer))) graph.set(toKey(file), importsOf(file, readFileSync(file, 'utf8')))
  }
  return graph
}

/** One cycle per strongly connected component, as a path `a → b → … → a`. */
function findCycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's algorithm, iterative over a sorted node list so the report is stable.
  let index = 0
  const indices = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const components: string[][] = []
  const strongConnect = (v: string): void => {
    indices.set(v, index)
    low.set(v, index)
    index++
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        strongConnect(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!))
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      const selfLoop = (graph.get(v) ?? []).includes(v)
      if (component.length > 1 || selfLoop) components.push(component)
    }
  }
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) strongConnect(v)
  // Within each component, walk from its first file back to itself to name one concrete cycle.
  return components.map((component) => {
    const members = new Set(component)
    const start = [...component].sort()[0]!
    const previous = new Map<string, string>()
    const queue = [start]
    const seen = new Set([start])
    while (queue.length) {
      const v = queue.shift()!
      for (const w of graph.get(v) ?? []) {
        if (!members.has(w)) continue
        if (w === start) {
          const path = [start]
          for (let x: string | undefined = v; x && x !== start; x = previous.get(x)) path.splice(1, 0, x)
          return [...path, start]
        }
        if (!seen.has(w)) {
          seen.add(w)
          previous.set(w, v)
          queue.push(w)
        }
      }
    }
    return [start, start]
  })
}

function violations(graph: Map<string, ImportEdge[]>, from: (f: string) => boolean, to: (f: string) => boolean): string[] {
  const out: string[] = []
  for (const [file, edges] of graph) {
    if (!from(file)) continue
    for (const edge of edges) if (to(edge.to)) out.push(`${file} → ${edge.to}`)
  }
  return out.sort()
}

const under = (folder: string) => (f: string) => f.startsWith(`${folder}/`)

describe('layering', () => {
  const graph = importGraph()

  it('reads the imports of every layer', () => {
    expect(graph.size).toBeGreaterThan(50)
    expect(graph.get('server/runtime.ts')?.some((e) => e.to === 'db/client.ts')).toBe(true)
  })

  it('db/ imports nothing from server/', () => {
    expect(violations(graph, under('db'), under('server'))).toEqual([])
  })

  it('repositories do not reach up into services', () => {
    expect(violations(graph, under('server/repositories'), under('server/services'))).toEqual([])
  })

  it('shared/ imports nothing from server/ or db/', () => {
    expect(violations(graph, under('shared'), (f) => under('server')(f) || under('db')(f))).toEqual([])
  })

  it('has no import cycle', () => {
    const plain = new Map([...graph].map(([file, edges]) => [file, [...new Set(edges.map((e) => e.to))]]))
    const cycles = findCycles(plain).map((c) => c.join(' → '))
    expect(cycles, `import cycles:\n${cycles.join('\n')}`).toEqual([])
  })
})

describe('findCycles', () => {
  it('names the path of a cycle', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ])
    expect(findCycles(g)).toEqual([['a', 'b', 'c', 'a']])
  })
  it('finds none in a tree', () => {
    expect(
      findCycles(
        new Map([
          ['a', ['b', 'c']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
    ).toEqual([])
  })
})
