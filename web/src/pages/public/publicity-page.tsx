import './public.css';
import { useRef, useState } from 'preact/hooks';
import { post } from '../../api.js';
import { formatTime, t, tr } from '../../i18n.js';
import { ErrorNotice, Layout, Loaded } from '../../ui/components.js';
import { useAction, useResource } from '../../ui/hooks.js';
import { byCategory, campaignName, type PublicList, publishedList } from './public-data.js';

const REASON_MIN = 10;
const REASON_MAX = 2000;

/**
 * `/public/:campaignId/publicity`: the public notice — the period, each category's nominations
 * (name, recommending unit, a summary of the deeds; never phone numbers or addresses) — and the
 * form to object to one of them while the notice runs.
 */
export function PublicityPage(props: { campaignId: string }) {
  const list = useResource(
    (signal) => publishedList(props.campaignId, 'publicity', signal),
    [props.campaignId],
  );
  const name = campaignName(props.campaignId);
  return (
    <Layout title={t('公示名单', 'Public notice')}>
      {name && <p class="pub-campaign">{tr(name)}</p>}
      <Loaded resource={list}>{(data) => <Notice campaignId={props.campaignId} data={data} />}</Loaded>
    </Layout>
  );
}

function Notice(props: { campaignId: string; data: PublicList }) {
  const { state, entries } = props.data;
  const publicity = state.publicity;
  const [chosen, setChosen] = useState('');
  const selectRef = useRef<HTMLSelectElement>(null);
  const groups = byCategory(entries);
  // Whether the period is still running is the server's to say (its campaign clock, which a local
  // run shifts, is not the browser's): the form is offered until release, and a late objection
  // is answered with the API's refusal.
  const takesObjections = Boolean(publicity) && !state.releasedAt;
  return (
    <>
      {publicity ? (
        <div class="notice">
          <p>
            {t('公示期：', 'Publicity period: ')}
            <time dateTime={publicity.openedAt}>{formatTime(publicity.openedAt)}</time>
            {t(' 至 ', ' to ')}
            <time dateTime={publicity.closesAt}>{formatTime(publicity.closesAt)}</time>
            {t('（北京时间）', ' (China time)')}
          </p>
          <p class="small">
            {t(
              '公示期内，任何单位和个人均可对公示对象提出异议，请在下方填写。异议人的姓名和联系方式仅供秘书处核实，不予公开。',
              'While the notice runs, anyone may object to a nominee with the form below. Your name and contact are seen by the secretariat only, never published.',
            )}
          </p>
        </div>
      ) : (
        <div class="notice warn" role="status">
          <p>{t('本活动尚未开始公示。', 'The public notice of this campaign has not been opened.')}</p>
        </div>
      )}
      {state.releasedAt && (
        <div class="notice ok">
          <p>
            {t('公示已结束，最终名单已正式发布：', 'The notice has ended; the final list is published: ')}
            <a href={`/public/${encodeURIComponent(props.campaignId)}/released`}>
              {t('查看最终名单', 'see the final list')}
            </a>
          </p>
        </div>
      )}

      {publicity && groups.length === 0 && (
        <p class="muted">{t('目前没有公示对象。', 'Nobody is on the notice at the moment.')}</p>
      )}
      {groups.map((group) => (
        <section key={group.category} aria-labelledby={`cat-${group.category}`}>
          <h2 id={`cat-${group.category}`}>
            {tr(group.name)}
            {t(`（${group.entries.length}）`, ` (${group.entries.length})`)}
          </h2>
          <ol class="pub-entries">
            {group.entries.map((entry) => (
              <li key={entry.nominationId} class="card">
                <h3>{entry.name}</h3>
                <p class="muted small">
                  {t('推荐单位：', 'Recommended by: ')}
                  {entry.unitName}
                </p>
                {entry.summary && <p class="pub-summary">{entry.summary}</p>}
                {takesObjections && (
                  <button
                    type="button"
                    class="link-button pub-object"
                    onClick={() => {
                      setChosen(entry.nominationId);
                      selectRef.current?.scrollIntoView({ block: 'center' });
                      selectRef.current?.focus();
                    }}
                  >
                    {t(`对“${entry.name}”提出异议`, `Object to “${entry.name}”`)}
                  </button>
                )}
              </li>
            ))}
          </ol>
        </section>
      ))}

      {takesObjections && entries.length > 0 && (
        <ObjectionForm
          campaignId={props.campaignId}
          data={props.data}
          chosen={chosen}
          onChoose={setChosen}
          selectRef={selectRef}
        />
      )}
    </>
  );
}

function ObjectionForm(props: {
  campaignId: string;
  data: PublicList;
  chosen: string;
  onChoose: (id: string) => void;
  selectRef: { current: HTMLSelectElement | null };
}) {
  const [reason, setReason] = useState('');
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [tried, setTried] = useState(false);
  const [received, setReceived] = useState<{ id: string; nominee: string } | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);

  const send = useAction(async () => {
    // A new objection's outcome replaces the last one's: never "received" above a refusal.
    setReceived(null);
    const answer = await post<{ id: string }>(
      `/api/public/${encodeURIComponent(props.campaignId)}/objections`,
      { nominationId: props.chosen, reason: reason.trim(), name: name.trim(), contact: contact.trim() },
    );
    const nominee = props.data.entries.find((e) => e.nominationId === props.chosen)?.name ?? '';
    setReceived({ id: answer.id, nominee });
    setReason('');
    setTried(false);
    queueMicrotask(() => doneRef.current?.focus());
    return answer;
  });

  const reasonLength = [...reason.trim()].length;
  const problems: Record<string, string> = {};
  if (!props.chosen) problems.nominationId = t('请选择异议对象', 'Choose the nominee you object to');
  if (reasonLength < REASON_MIN)
    problems.reason = t(
      `异议理由至少 ${REASON_MIN} 个字`,
      `Give at least ${REASON_MIN} characters of reason`,
    );
  if (reasonLength > REASON_MAX)
    problems.reason = t(`异议理由不超过 ${REASON_MAX} 个字`, `At most ${REASON_MAX} characters`);
  if (!name.trim()) problems.name = t('请填写姓名', 'Give your name');
  if ([...contact.trim()].length < 3)
    problems.contact = t('请填写电话或电子邮箱', 'Give a phone number or an e-mail address');
  // A field the server refused names itself in the error's path.
  const serverField = send.error && (send.error as { body?: { path?: unknown[] } }).body?.path?.[0];
  const problemOf = (field: string) => (tried ? problems[field] : undefined);
  const describe = (field: string, hint?: string) =>
    [hint, problemOf(field) ? `obj-${field}-problem` : undefined].filter(Boolean).join(' ') || undefined;

  const submit = (event: Event) => {
    event.preventDefault();
    setTried(true);
    if (Object.keys(problems).length > 0) return;
    void send.run();
  };

  return (
    <section aria-labelledby="objection-title">
      <h2 id="objection-title">{t('提出异议', 'Object to a nominee')}</h2>
      {received && (
        <div class="notice ok" role="status" tabIndex={-1} ref={doneRef}>
          <p>
            {t(
              '异议已收到，秘书处将核实处理，必要时通过您留下的联系方式与您联系。',
              'Objection received; the secretariat will look into it and reach you at the contact you left if needed.',
            )}
          </p>
          <p class="small">
            {t('异议对象：', 'Nominee: ')}
            {received.nominee}
          </p>
        </div>
      )}
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="obj-nominationId">{t('异议对象', 'Nominee')}</label>
          <select
            id="obj-nominationId"
            ref={props.selectRef}
            value={props.chosen}
            aria-invalid={problemOf('nominationId') || serverField === 'nominationId' ? 'true' : undefined}
            aria-describedby={describe('nominationId')}
            onChange={(event) => props.onChoose((event.target as HTMLSelectElement).value)}
          >
            <option value="">{t('— 请选择 —', '— choose —')}</option>
            {byCategory(props.data.entries).map((group) => (
              <optgroup key={group.category} label={tr(group.name)}>
                {group.entries.map((e) => (
                  <option key={e.nominationId} value={e.nominationId}>
                    {e.name}
                    {t(`（${e.unitName}）`, ` (${e.unitName})`)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          {problemOf('nominationId') && (
            <p class="problem" id="obj-nominationId-problem">
              {problemOf('nominationId')}
            </p>
          )}
        </div>
        <div class="field">
          <label for="obj-reason">{t('异议理由', 'Reason')}</label>
          <textarea
            id="obj-reason"
            value={reason}
            maxLength={REASON_MAX}
            aria-invalid={problemOf('reason') || serverField === 'reason' ? 'true' : undefined}
            aria-describedby={describe('reason', 'obj-reason-hint obj-reason-count')}
            onInput={(event) => setReason((event.target as HTMLTextAreaElement).value)}
          />
          <p class="hint" id="obj-reason-hint">
            {t(
              `请写明事实和依据，${REASON_MIN}—${REASON_MAX} 个字。`,
              `State the facts and your grounds, ${REASON_MIN}–${REASON_MAX} characters.`,
            )}
          </p>
          <p id="obj-reason-count" class={reasonLength > REASON_MAX ? 'counter over' : 'counter'}>
            {reasonLength} / {REASON_MAX}
          </p>
          {problemOf('reason') && (
            <p class="problem" id="obj-reason-problem">
              {problemOf('reason')}
            </p>
          )}
        </div>
        <div class="field">
          <label for="obj-name">{t('您的姓名', 'Your name')}</label>
          <input
            id="obj-name"
            type="text"
            autoComplete="name"
            maxLength={50}
            value={name}
            aria-invalid={problemOf('name') || serverField === 'name' ? 'true' : undefined}
            aria-describedby={describe('name')}
            onInput={(event) => setName((event.target as HTMLInputElement).value)}
          />
          {problemOf('name') && (
            <p class="problem" id="obj-name-problem">
              {problemOf('name')}
            </p>
          )}
        </div>
        <div class="field">
          <label for="obj-contact">{t('联系方式（电话或电子邮箱）', 'Contact (phone or e-mail)')}</label>
          <input
            id="obj-contact"
            type="text"
            maxLength={100}
            value={contact}
            aria-invalid={problemOf('contact') || serverField === 'contact' ? 'true' : undefined}
            aria-describedby={describe('contact', 'obj-contact-hint')}
            onInput={(event) => setContact((event.target as HTMLInputElement).value)}
          />
          <p class="hint" id="obj-contact-hint">
            {t('仅供秘书处核实，不予公开。', 'Seen by the secretariat only, never published.')}
          </p>
          {problemOf('contact') && (
            <p class="problem" id="obj-contact-problem">
              {problemOf('contact')}
            </p>
          )}
        </div>
        <ErrorNotice error={send.error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={send.busy}>
            {send.busy ? t('正在提交…', 'Submitting…') : t('提交异议', 'Submit objection')}
          </button>
        </div>
      </form>
    </section>
  );
}
