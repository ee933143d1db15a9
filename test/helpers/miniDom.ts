/**
 * A tiny DOM for unit tests of the webview's rendering code (node has no DOM; the real one is
 * exercised by the e2e tests in code-server). It implements only what that code calls, records
 * every element created, and serialises the way a browser's outerHTML does (text and attribute
 * values escaped), so tests can assert that data stayed text.
 */

type Listener = (event: MiniEvent) => void;

export interface MiniEvent {
  type: string;
  target: MiniElement;
  key?: string;
  shiftKey?: boolean;
  defaultPrevented: boolean;
  preventDefault(): void;
}

const ESCAPE_TEXT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\u00a0': '&nbsp;' };
const ESCAPE_ATTR: Record<string, string> = { '&': '&amp;', '"': '&quot;', '\u00a0': '&nbsp;' };

export class MiniElement {
  readonly attributes = new Map<string, string>();
  readonly children: MiniElement[] = [];
  readonly style: Record<string, string> = {};
  parent: MiniElement | null = null;
  /** Set through textContent: a text node, never parsed. */
  private text: string | null = null;
  private readonly listeners = new Map<string, Listener[]>();
  scrollTop = 0;
  clientHeight = 0;
  hidden = false;

  constructor(
    readonly doc: MiniDocument,
    readonly tagName: string,
    readonly namespace: string | null,
  ) {}

  set className(value: string) {
    this.attributes.set('class', value);
  }
  get className(): string {
    return this.attributes.get('class') ?? '';
  }
  set id(value: string) {
    this.attributes.set('id', value);
  }
  get id(): string {
    return this.attributes.get('id') ?? '';
  }

  setAttribute(name: string, value: string): void {
    this.attributes.set(name.toLowerCase(), String(value));
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name.toLowerCase()) ?? null;
  }

  set textContent(value: string) {
    for (const c of this.children) c.parent = null;
    this.children.length = 0;
    this.text = value;
  }
  get textContent(): string {
    return this.text ?? this.children.map((c) => c.textContent).join('');
  }

  appendChild(child: MiniElement): MiniElement {
    child.remove();
    this.text = null;
    child.parent = this;
    this.children.push(child);
    return child;
  }
  append(...children: MiniElement[]): void {
    for (const c of children) this.appendChild(c);
  }
  replaceChildren(...children: MiniElement[]): void {
    this.textContent = '';
    this.text = null;
    this.append(...children);
  }
  remove(): void {
    if (!this.parent) return;
    const siblings = this.parent.children;
    siblings.splice(siblings.indexOf(this), 1);
    this.parent = null;
  }

  focus(): void {
    this.doc.activeElement = this;
  }

  /** Supports selectors made of attribute tests only: `[role="row"][data-pos]`. */
  closest(selector: string): MiniElement | null {
    const tests = [...selector.matchAll(/\[([\w-]+)(?:="([^"]*)")?\]/g)].map((m) => ({ name: m[1], value: m[2] }));
    for (let el: MiniElement | null = this; el; el = el.parent) {
      if (tests.every((t) => (t.value === undefined ? el!.attributes.has(t.name) : el!.attributes.get(t.name) === t.value))) return el;
    }
    return null;
  }

  addEventListener(type: string, listener: Listener): void {
    const list = this.listeners.get(type) ?? [];
    list.push(listener);
    this.listeners.set(type, list);
  }

  /** Fires `type` at this element and bubbles it up, like a user action would. */
  dispatch(type: string, init: { key?: string; shiftKey?: boolean } = {}): MiniEvent {
    const event: MiniEvent = {
      type,
      target: this,
      key: init.key,
      shiftKey: init.shiftKey ?? false,
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    for (let el: MiniElement | null = this; el; el = el.parent) for (const l of el.listeners.get(type) ?? []) l(event);
    return event;
  }

  /** Every element below this one, depth first. */
  descendants(): MiniElement[] {
    const out: MiniElement[] = [];
    const visit = (e: MiniElement): void => {
      for (const c of e.children) {
        out.push(c);
        visit(c);
      }
    };
    visit(this);
    return out;
  }

  get outerHTML(): string {
    const attrs = [...this.attributes].map(([k, v]) => ` ${k}="${v.replace(/[&"\u00a0]/g, (c) => ESCAPE_ATTR[c])}"`).join('');
    const inner = this.text !== null ? this.text.replace(/[&<>\u00a0]/g, (c) => ESCAPE_TEXT[c]) : this.children.map((c) => c.outerHTML).join('');
    return `<${this.tagName}${attrs}>${inner}</${this.tagName}>`;
  }
}

export class MiniDocument {
  /** Every element ever created, for "no <script>/<img> was made" assertions. */
  readonly created: MiniElement[] = [];
  activeElement: MiniElement | null = null;

  createElement(tag: string): MiniElement {
    return this.make(tag.toLowerCase(), null);
  }
  createElementNS(ns: string, tag: string): MiniElement {
    return this.make(tag, ns);
  }
  private make(tag: string, ns: string | null): MiniElement {
    const el = new MiniElement(this, tag, ns);
    this.created.push(el);
    return el;
  }
}
