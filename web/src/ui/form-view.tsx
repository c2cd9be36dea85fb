import { Fragment } from 'preact';
import type { CategoryId } from '../../../functions/rules/categories.js';
import { FORMS, formJsonSchema } from '../../../functions/rules/forms/index.js';
import type { JsonSchema } from '../../../functions/rules/validation.js';
import { t, tr } from '../i18n.js';

/**
 * A saved form, read-only, in the official form's order and with its labels: both come from the
 * form's JSON Schema (generated from the same zod schema the server validates with), so a field
 * added to a form shows here without touching this page. Values are text, never HTML. Used by
 * the secretariat's screening view and the expert's review page.
 */

interface Node {
  type?: string;
  title?: string;
  'x-title-en'?: string;
  'x-unit'?: string;
  'x-options'?: { value: string; zh: string; en: string }[];
  properties?: Record<string, Node>;
  items?: Node;
  oneOf?: Node[];
  const?: unknown;
  enum?: unknown[];
}

const label = (node: Node | undefined, fallback: string) =>
  node?.title ? tr({ zh: node.title, en: node['x-title-en'] ?? node.title }) : fallback;

const EMPTY = () => <span class="muted">{t('（未填写）', '(not filled in)')}</span>;

/** The variant of a oneOf an item matches: by its constant or enumerated discriminator. */
function variantOf(node: Node, value: unknown): Node | undefined {
  if (!node.oneOf) return node;
  const record = (value ?? {}) as Record<string, unknown>;
  return (
    node.oneOf.find((variant) =>
      Object.entries(variant.properties ?? {}).some(
        ([key, p]) =>
          (p.const !== undefined && record[key] === p.const) ||
          (Array.isArray(p.enum) && p.enum.includes(record[key])),
      ),
    ) ?? node.oneOf[0]
  );
}

function Value(props: { node: Node | undefined; value: unknown }) {
  const { node, value } = props;
  if (value === undefined || value === null || value === '') return <EMPTY />;
  if (!node) return <span>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</span>;
  if (node.oneOf) return <Value node={variantOf(node, value)} value={value} />;
  if (node['x-options']) {
    const option = node['x-options'].find((o) => o.value === value);
    return <span>{option ? tr(option) : String(value)}</span>;
  }
  if (node.const !== undefined) return <span>{label(node, String(value))}</span>;
  if (typeof value === 'boolean') return <span>{value ? t('是', 'Yes') : t('否', 'No')}</span>;
  if (typeof value === 'number') {
    return (
      <span>
        {value.toLocaleString('zh-CN')}
        {node['x-unit'] ?? ''}
      </span>
    );
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return <EMPTY />;
    return (
      <ol class="form-list">
        {value.map((item, i) => (
          <li key={i}>
            <Value node={node.items} value={item} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === 'object' && node.properties) {
    const record = value as Record<string, unknown>;
    const shown = Object.entries(node.properties).filter(([key]) => record[key] !== undefined);
    // A variant whose only field is its discriminator ("其他: 陶瓷工艺体验" has two) reads inline.
    return (
      <span class="form-inline">
        {shown.map(([key, child], i) => (
          <span key={key}>
            {i > 0 && '：'}
            {child.type === 'boolean' ? (
              record[key] ? (
                <span class="badge">{label(child, key)}</span>
              ) : null
            ) : (
              <Value node={child} value={record[key]} />
            )}
          </span>
        ))}
      </span>
    );
  }
  if (typeof value === 'string' && value.length > 80) return <p class="form-long">{value}</p>;
  return <span>{String(value)}</span>;
}

function Fields(props: { schema: Node; value: Record<string, unknown>; withheld: readonly string[] }) {
  return (
    <dl class="facts form-facts">
      {Object.entries(props.schema.properties ?? {}).flatMap(([key, node]) => {
        if (props.withheld.includes(key)) return [];
        const value = props.value[key];
        if (node.type === 'object' && node.properties && value && typeof value === 'object') {
          return Object.entries(node.properties).map(([sub, child]) => (
            <Fragment key={`${key}.${sub}`}>
              <dt>
                {label(node, key)} · {label(child, sub)}
              </dt>
              <dd>
                <Value node={child} value={(value as Record<string, unknown>)[sub]} />
              </dd>
            </Fragment>
          ));
        }
        return [
          <Fragment key={key}>
            <dt>{label(node, key)}</dt>
            <dd>
              <Value node={node} value={value} />
            </dd>
          </Fragment>,
        ];
      })}
    </dl>
  );
}

/** `withheld`: fields the reader does not receive (an expert: phone, address, birth month), left out rather than shown as empty. */
export function FormView(props: {
  category: CategoryId;
  form: Record<string, unknown>;
  level?: 2 | 3;
  withheld?: readonly string[];
}) {
  const schema = formJsonSchema(props.category) as JsonSchema as Node;
  const withheld = props.withheld ?? [];
  const Heading = props.level === 3 ? 'h3' : 'h2';
  return (
    <section aria-labelledby="form-view-title">
      <Heading id="form-view-title">{tr(FORMS[props.category].title)}</Heading>
      <Fields schema={schema} value={props.form} withheld={withheld} />
      {withheld.length > 0 && (
        <p class="muted small">
          {t(
            `不向评审专家提供：${withheld.map((key) => label(schema.properties?.[key], key)).join('、')}（个人信息只提供评审所需）。`,
            `Not given to experts: ${withheld.map((key) => label(schema.properties?.[key], key)).join(', ')} (personal information only as far as the review needs).`,
          )}
        </p>
      )}
    </section>
  );
}
