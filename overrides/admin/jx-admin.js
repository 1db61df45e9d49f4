// Starts the browser form (Decap CMS, loaded before this module by index.html) with the
// configuration the build generated from the record schemas (config.json).
import * as YAML from "./yaml/index.js";
import { baseId, fromYaml, readings, toYaml } from "./jx-format.js";

const CMS = window.CMS;
const h = window.h;
const LOCAL_HOSTS = ["127.0.0.1", "localhost"];
const EDITS = ["input", "change", "click", "keyup"];

function notice(html) {
  const box = document.createElement("main");
  box.className = "jx-admin-notice";
  box.innerHTML = html;
  document.body.replaceChildren(box);
}

async function load(name) {
  const response = await fetch(name, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${name}: ${response.status}`);
  return response.json();
}

// The entry being saved: Decap's preSave event sees it, its toFile (called right after) does not.
let saving = null;

function start(config, table) {
  const rule = config.jx_id_rule;
  const byChar = readings(table);
  const collections = new Map(config.collections.map((c) => [c.name, c]));
  const schemaLines = new Map(config.collections.map((c) => [c.name, `yaml-language-server: $schema=${c.jx_schema}`]));
  delete config.jx_id_rule;
  delete config.jx_configured;
  for (const c of config.collections) delete c.jx_schema;

  CMS.registerCustomFormat("jx-yaml", "yml", {
    fromFile: (content) => fromYaml(YAML, content),
    toFile: (data) => {
      const c = saving && collections.get(saving.collection);
      const fields = c ? c.fields : [];
      const raw = saving && !saving.newRecord ? saving.raw : "";
      return toYaml(YAML, raw, data, fields, c ? schemaLines.get(c.name) : "", ["jx_id"]);
    },
  });

  // `field`: the id field's settings, as Decap hands them to the widget (Immutable) or from config.json.
  const propose = (entry, field) => {
    const get = (k) => (typeof field.get === "function" ? field.get(k) : field[k]);
    const source = entry.getIn(["data", get("jx_source")]);
    const kind = get("jx_kind");
    return baseId(String(source ?? ""), kind, rule, byChar, kind === "story" ? entry.getIn(["data", "studio"]) : undefined);
  };

  CMS.registerEventListener({
    name: "preSave",
    handler: ({ entry }) => {
      saving = { raw: entry.get("raw") || "", collection: entry.get("collection"), newRecord: !!entry.get("newRecord") };
      const data = entry.get("data");
      if (!entry.get("newRecord") || data.get("jx_id")) return undefined;
      const c = collections.get(entry.get("collection"));
      const idField = c && c.fields.find((f) => f.name === "jx_id");
      if (!idField) return undefined;
      return data.set("jx_id", propose(entry, idField));
    },
  });

  CMS.registerWidget("jx-id", idControl(propose), () => null);
  CMS.init({ config });
}

function idControl(propose) {
  return window.createClass({
    getInitialState() {
      return { touched: false, proposal: "" };
    },
    entry() {
      return this.props.getEntry ? this.props.getEntry() : this.props.entry;
    },
    isNew() {
      return !!this.entry().get("newRecord");
    },
    proposal() {
      return propose(this.entry(), this.props.field);
    },
    // Decap re-renders a widget only when its own value changes, and has no "entry changed"
    // event: any edit elsewhere in the form (typing, choosing, clicking) re-proposes the id.
    componentDidMount() {
      this.watch = () => setTimeout(() => this.follow(), 0);
      for (const type of EDITS) document.addEventListener(type, this.watch, true);
      this.follow();
    },
    componentWillUnmount() {
      for (const type of EDITS) document.removeEventListener(type, this.watch, true);
    },
    follow() {
      if (!this.isNew()) return;
      const proposal = this.proposal();
      if (proposal !== this.state.proposal) this.setState({ proposal });
      if (!this.state.touched && proposal !== (this.props.value || "")) this.props.onChange(proposal);
    },
    isValid() {
      if (!this.isNew()) return true;
      const field = this.props.field;
      const value = this.props.value || this.proposal();
      if (!value) return { error: { message: "请填写编号：小写英文字母、数字和连字符，如 zhangsan。" } };
      if (!new RegExp(field.get("jx_pattern")).test(value)) {
        return { error: { message: `编号“${value}”不能用：只能用小写英文字母、数字和连字符（-），如 zhangsan。` } };
      }
      const reserved = field.get("jx_reserved");
      if (reserved && reserved.includes(value)) {
        return { error: { message: `编号“${value}”留给网站的目录页使用，请换一个。` } };
      }
      return true;
    },
    render() {
      const { forID, classNameWrapper, setActiveStyle, setInactiveStyle } = this.props;
      if (!this.isNew()) {
        return h("p", { id: forID, className: classNameWrapper }, h("code", null, this.entry().get("slug")));
      }
      return h("input", {
        id: forID,
        type: "text",
        className: classNameWrapper,
        value: this.props.value || "",
        placeholder: this.state.proposal,
        lang: "en",
        autoCapitalize: "off",
        autoCorrect: "off",
        spellCheck: false,
        onFocus: setActiveStyle,
        onBlur: setInactiveStyle,
        onChange: (e) => {
          this.setState({ touched: e.target.value !== "" });
          this.props.onChange(e.target.value.trim().toLowerCase());
        },
      });
    },
  });
}

async function main() {
  try {
    const [config, table] = await Promise.all([load("config.json"), load("pinyin.json")]);
    if (!config.jx_configured && !LOCAL_HOSTS.includes(location.hostname)) {
      notice(
        "<h1>在线编辑尚未开通</h1><p>网站管理员还没有在 <code>mkdocs.yml</code> 的 <code>extra.cms</code> 里填写内容仓库。" +
          "开通方法见网站的“编辑指南”；在自己电脑上试用，请在项目目录运行 <code>bash scripts/cms.sh</code>。</p>",
      );
      return;
    }
    start(config, table);
  } catch (err) {
    notice(`<h1>编辑页面加载失败</h1><p>请刷新重试；仍不行，请把这段文字发给网站管理员：</p><pre></pre>`);
    document.querySelector(".jx-admin-notice pre").textContent = String(err);
  }
}

main();
