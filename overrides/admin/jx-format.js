// What the browser form writes: YAML the loader reads back as the editor meant it, changing
// only what the editor changed. Pure functions; `YAML` is the `yaml` package (v2), passed in
// so that Node's tests and the browser load it their own way.

// YAML 1.1, as PyYAML reads the records: `no`, `on`, `010`, `9:30` and long digit strings get
// quoted. Timestamps are left out so that dates stay the plain `2025-05-01` the records use.
export function yamlOptions() {
  return {
    version: "1.1",
    customTags: (tags) => tags.filter((t) => !String(t.tag).endsWith(":timestamp")),
  };
}

const STRINGIFY = { lineWidth: 0, minContentWidth: 0 };

// Empty values the form leaves behind (untouched inputs, emptied lists) are not facts: drop them.
export function prune(value) {
  if (Array.isArray(value)) {
    const out = value.map(prune).filter((v) => v !== undefined);
    return out.length ? out : undefined;
  }
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (value === null || value === undefined || value === "") return undefined;
  if (typeof value === "number" && Number.isNaN(value)) return undefined;
  return value;
}

// The value with the keys of every object in the order of the form's fields (the template's).
export function ordered(value, fields) {
  if (Array.isArray(value)) return value.map((v) => ordered(v, fields));
  if (value === null || typeof value !== "object" || !fields) return value;
  const names = fields.map((f) => f.name);
  const keys = Object.keys(value).sort((a, b) => rank(names, a) - rank(names, b));
  const out = {};
  for (const k of keys) {
    const field = fields.find((f) => f.name === k);
    out[k] = ordered(value[k], field && (field.fields || null));
  }
  return out;
}

function rank(names, key) {
  const i = names.indexOf(key);
  return i < 0 ? names.length : i;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// Put `value` into `node`, keeping the nodes (and so the comments and styles) of what did not change.
function update(YAML, doc, node, value, names) {
  if (YAML.isMap(node) && value !== null && typeof value === "object" && !Array.isArray(value)) {
    node.items = node.items.filter((pair) => Object.hasOwn(value, String(pair.key)));
    for (const [key, v] of Object.entries(value)) {
      const at = node.items.findIndex((pair) => String(pair.key) === key);
      if (at >= 0) {
        node.items[at].value = update(YAML, doc, node.items[at].value, v, null);
      } else {
        const pair = doc.createPair(key, v);
        // Before the first existing key that comes later in the form's order.
        const later = names ? node.items.findIndex((p) => rank(names, String(p.key)) > rank(names, key)) : -1;
        if (later >= 0) node.items.splice(later, 0, pair);
        else node.items.push(pair);
      }
    }
    return node;
  }
  if (YAML.isSeq(node) && Array.isArray(value)) {
    node.items = value.map((v, i) => (i < node.items.length ? update(YAML, doc, node.items[i], v, null) : doc.createNode(v)));
    return node;
  }
  if (node && same(node.toJSON(), value)) return node;
  return doc.createNode(value);
}

// The file for `data`: `raw` (the file as it was; "" for a new record) with only the changes.
// `fields`: the collection's fields; `schemaLine`: the first line of a new file.
export function toYaml(YAML, raw, data, fields, schemaLine, skip = []) {
  const clean = { ...data };
  for (const key of skip) delete clean[key];
  const value = ordered(prune(clean) || {}, fields);
  const names = fields.map((f) => f.name);
  const options = yamlOptions();
  let doc = raw && raw.trim() ? YAML.parseDocument(raw, options) : null;
  if (doc && (doc.errors.length || !YAML.isMap(doc.contents))) doc = null;
  if (doc) keepTopLevelComments(YAML, doc, raw);
  let head = "";
  if (!doc) {
    doc = new YAML.Document(value, options);
    // As the templates have it: the schema line, then the first field (no blank line between).
    if (schemaLine) head = `# ${schemaLine}\n`;
  } else {
    doc.contents = update(YAML, doc, doc.contents, value, names);
  }
  const text = head + doc.toString(STRINGIFY);
  return text.endsWith("\n") ? text : `${text}\n`;
}

// `yaml` gives the comment lines after a nested block to that block, so they come back indented
// under it: "## 级别…" above `# level:` in the templates would move right by two spaces. Lines
// that start at column 0 belong before the next top-level key, and go back there. (Deeper
// comment blocks followed by less indented ones keep this `yaml` behaviour.)
function keepTopLevelComments(YAML, doc, raw) {
  const pairs = doc.contents.items;
  pairs.forEach((pair, i) => {
    let node = pair.value;
    while ((YAML.isMap(node) || YAML.isSeq(node)) && !node.comment && node.items.length) {
      const last = node.items[node.items.length - 1];
      node = YAML.isPair(last) ? last.value : last;
    }
    if (!(YAML.isMap(node) || YAML.isSeq(node)) || !node.comment || !node.range) return;
    const next = pairs[i + 1];
    const end = next && next.key && next.key.range ? next.key.range[0] : raw.length;
    const lines = raw.slice(node.range[1], end).split("\n");
    const kept = [];
    const moved = [];
    for (const line of lines) {
      const comment = /^(\s*)#(.*)$/.exec(line);
      if (comment && (moved.length || comment[1] === "")) moved.push(comment[2]);
      else if (comment) kept.push(comment[2]);
      else if (!line.trim() && moved.length) moved.push("");
      else if (!line.trim() && kept.length) kept.push("");
    }
    if (!moved.some((l) => l)) return;
    while (kept.length && !kept[kept.length - 1]) kept.pop();
    while (moved.length && !moved[moved.length - 1]) moved.pop();
    const blankBefore = /\n[ \t]*\n[ \t]*#[^\n]*$/.test(raw.slice(0, raw.indexOf("#" + moved[0], node.range[1]) + 1 + moved[0].length));
    node.comment = kept.length ? kept.join("\n") : undefined;
    const text = moved.join("\n");
    if (next && next.key) {
      if (YAML.isScalar(next.key)) {
        next.key.commentBefore = text;
        next.key.spaceBefore = blankBefore;
      }
    } else {
      doc.comment = doc.comment ? `${text}\n${doc.comment}` : text;
    }
  });
}

export function fromYaml(YAML, raw) {
  const doc = YAML.parseDocument(raw, yamlOptions());
  if (doc.errors.length) throw new Error(`YAML 格式错误：${doc.errors.map((e) => e.message).join("\n")}`);
  const data = doc.toJS();
  return data !== null && typeof data === "object" ? data : {};
}

// ---- The id proposal: a port of hooks/jiangxin/recordids.py and slugs.py ----

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/u;
const TOKEN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+|[a-z0-9]+/gu;
const SLUG_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

// {syllable: "characters…"} → {character: syllable}
export function readings(table) {
  const out = new Map();
  for (const [syllable, chars] of Object.entries(table)) for (const c of chars) out.set(c, syllable);
  return out;
}

export function words(text, byChar) {
  const folded = text.normalize("NFKD").replace(/\p{Mn}/gu, "").toLowerCase();
  const out = [];
  for (const token of folded.match(TOKEN) || []) {
    if (HAN.test(token)) {
      const syllables = [...token].map((c) => byChar.get(c)).filter(Boolean);
      if (syllables.length) out.push(syllables);
    } else {
      out.push([token]);
    }
  }
  return out;
}

export function shortSlug(text, maxChars, byChar) {
  const kept = [];
  let left = maxChars;
  for (const word of words(text, byChar)) {
    if (left <= 0) break;
    kept.push(word.slice(0, left).join(""));
    left -= word.length;
  }
  return kept.join("-");
}

export function stripGenericSuffix(name, suffixes) {
  name = name.trim();
  for (const suffix of suffixes) {
    if (name.endsWith(suffix) && name.slice(0, -suffix.length).trim()) return name.slice(0, -suffix.length).trim();
  }
  return name;
}

// The id `recordids.base_id` gives; "" when the name gives none.
export function baseId(name, kind, rule, byChar, studio) {
  let slug;
  if (kind === "studio") {
    slug = shortSlug(stripGenericSuffix(name, rule.suffixes), rule.max_chars.studio, byChar);
  } else if (kind === "story") {
    const clause = name.normalize("NFKC").trim().split(new RegExp(rule.clause_end))[0];
    slug = shortSlug(clause, rule.max_chars.story, byChar) || shortSlug(name, rule.max_chars.story, byChar);
    slug = [studio, slug].filter(Boolean).join("-");
  } else {
    slug = String(name ?? "").trim();
  }
  return SLUG_ID.test(slug) ? slug : "";
}
