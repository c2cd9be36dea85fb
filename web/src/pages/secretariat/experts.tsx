import { useEffect, useState } from 'preact/hooks';
import { ROLE_NAMES } from '../../../../functions/rules/access.js';
import type { RevocationAnswer } from '../../../../functions/use-cases/sign-in.js';
import { get, post } from '../../api.js';
import { formatTime, t, tr } from '../../i18n.js';
import { ErrorNotice, Loaded, StatusBadge } from '../../ui/components.js';
import { useAction, useResource } from '../../ui/hooks.js';
import {
  api,
  ConfirmDialog,
  ConsoleIntro,
  ConsoleLayout,
  campaignRules,
  categoryName,
  type ExpertPanel,
  fieldProblems,
  RowTable,
  UnitSelect,
  useUnitChoices,
} from './common.js';
import { ReviewMatrix } from './review-matrix.js';

/** `/secretariat/experts`: the pool, who reviews what, conflicts of interest, and invitations. */
export function ExpertsPage() {
  const panel = useResource((signal) => get<ExpertPanel>(api('/experts'), { signal }), []);
  const units = useUnitChoices();
  const unitName = units.nameOf;

  return (
    <ConsoleLayout title={t('评审专家', 'Experts')}>
      <ConsoleIntro />
      <p>
        {t(
          '初核通过后，系统自动为每份推荐分配评审专家：不分配需回避的专家（推荐单位、上级学会、被推荐者所在单位、合作者），不超过上限，优先分配任务较少的专家。秘书处可在总表中更换专家、延长期限或排除回避误判。',
          'Once a nomination passes screening, experts are assigned automatically: never one with a conflict (the nominating unit, its parent society, the nominee’s organisation, collaborators), within caps, the least loaded first. In the table below the secretariat may swap an expert, extend a due date or dismiss a false conflict.',
        )}
      </p>
      <Loaded resource={panel}>
        {(p) => (
          <>
            <Warnings panel={p} unitName={unitName} />
            <Pool panel={p} unitName={unitName} />
            <ReviewMatrix panel={p} onChanged={panel.reload} />
            <Assignments panel={p} />
          </>
        )}
      </Loaded>
      <InviteForm units={units.choices} onInvited={panel.reload} />
      <RevokeForm />
    </ConsoleLayout>
  );
}

type UnitName = (id: string | null) => string;

function Warnings(props: { panel: ExpertPanel; unitName: UnitName }) {
  const { panel } = props;
  const conflicted = panel.nominations.flatMap((n) =>
    n.reviewers.filter((r) => r.conflict).map((r) => ({ nomination: n, reviewer: r })),
  );
  const short = panel.nominations.filter((n) => n.awaitingExperts);
  const excluded = panel.nominations.filter((n) => n.excludedByConflict.length > 0);
  if (conflicted.length === 0 && short.length === 0 && excluded.length === 0) return null;
  return (
    <section aria-labelledby="warnings-title">
      <h2 id="warnings-title">{t('需要注意', 'Needs attention')}</h2>
      {conflicted.length > 0 && (
        <div class="notice error">
          <p>
            <strong>{t('利益冲突：', 'Conflict of interest: ')}</strong>
            {t(
              '以下专家在分配后改为与推荐单位有关联，请另行安排：',
              'these experts became affiliated with the nominating unit after assignment; arrange another reviewer:',
            )}
          </p>
          <ul>
            {conflicted.map(({ nomination, reviewer }) => (
              <li key={`${nomination.id}-${reviewer.expertId}`}>
                {reviewer.name} → {nomination.displayName}（{nomination.unitName}）
              </li>
            ))}
          </ul>
        </div>
      )}
      {short.length > 0 && (
        <div class="notice warn">
          <p>
            <strong>{t('专家不足：', 'Too few experts: ')}</strong>
            {t(
              `每份推荐需要 ${panel.expertsPerNomination} 位无利益冲突的专家；以下推荐正在等待，请邀请更多专家（系统每小时重试分配）。`,
              `Each nomination needs ${panel.expertsPerNomination} experts without a conflict; these wait — invite more experts (assignment is retried hourly).`,
            )}
          </p>
          <ul>
            {short.map((n) => (
              <li key={n.id}>
                {n.displayName}（{n.unitName}）：
                {t(`可分配专家 ${n.eligibleExperts} 位`, `${n.eligibleExperts} eligible experts`)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {excluded.length > 0 && (
        <div class="notice warn">
          <p>
            <strong>{t('回避：', 'Recusals: ')}</strong>
            {t(
              '以下专家与推荐单位有关联，不参与相应推荐的评审：',
              'these experts are affiliated with the nominating unit and do not review its nominations:',
            )}
          </p>
          <ul>
            {excluded.map((n) => (
              <li key={n.id}>
                {n.excludedByConflict.map((e) => e.name).join('、')} ↛ {n.displayName}（{n.unitName}）
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function Pool(props: { panel: ExpertPanel; unitName: UnitName }) {
  const { experts } = props.panel;
  return (
    <section aria-labelledby="pool-title">
      <h2 id="pool-title">
        {t('专家库', 'Expert pool')}（{experts.length}）
      </h2>
      {experts.length === 0 ? (
        <p class="muted">{t('尚未邀请评审专家。', 'No expert has been invited yet.')}</p>
      ) : (
        <RowTable
          label={t('专家库', 'Expert pool')}
          rows={experts}
          columns={[
            {
              header: t('专家', 'Expert'),
              cell: (e) => e.name,
            },
            { header: t('电子邮箱', 'E-mail'), cell: (e) => e.email },
            {
              header: t('所在推荐单位（回避）', 'Own unit (recused)'),
              // An affiliation no unit of the campaign carries yet (invited later) still reads as a unit, not an id.
              cell: (e) =>
                e.affiliation ? (
                  props.unitName(e.affiliation) || t('（尚未邀请的单位）', '(a unit not yet invited)')
                ) : (
                  <span class="muted">—</span>
                ),
            },
            {
              header: t('已分配 / 上限', 'Assigned / cap'),
              cell: (e) => (e.maxLoad !== null ? `${e.assigned} / ${e.maxLoad}` : e.assigned),
            },
            {
              header: t('逾期', 'Overdue'),
              cell: (e) =>
                e.overdue > 0 ? (
                  <span class="flag flag-fail">{e.overdue}</span>
                ) : (
                  <span class="muted">0</span>
                ),
            },
            {
              header: t('已完成', 'Done'),
              cell: (e) => (
                <>
                  {e.done}
                  {e.assigned > 0 && (
                    <progress
                      value={e.done}
                      max={e.assigned}
                      aria-label={t(`${e.name} 完成进度`, `${e.name}: progress`)}
                    />
                  )}
                </>
              ),
            },
          ]}
        />
      )}
    </section>
  );
}

function Assignments(props: { panel: ExpertPanel }) {
  const { nominations, expertsPerNomination } = props.panel;
  return (
    <section aria-labelledby="assignments-title">
      <h2 id="assignments-title">{t('评审分配', 'Assignments')}</h2>
      <p class="muted">
        {t(`每份推荐 ${expertsPerNomination} 位专家。`, `${expertsPerNomination} experts per nomination.`)}
      </p>
      {nominations.length === 0 ? (
        <p class="muted">{t('尚无通过初核的推荐。', 'No nomination has passed screening yet.')}</p>
      ) : (
        <RowTable
          label={t('评审分配', 'Assignments')}
          rows={nominations}
          columns={[
            {
              header: t('推荐', 'Nomination'),
              cell: (n) => <a href={`/secretariat/nominations/${n.id}`}>{n.displayName}</a>,
            },
            { header: t('类别', 'Category'), cell: (n) => categoryName(n.category) },
            { header: t('推荐单位', 'Unit'), cell: (n) => n.unitName },
            { header: t('状态', 'Status'), cell: (n) => <StatusBadge status={n.status} /> },
            {
              header: t('评审专家', 'Reviewers'),
              cell: (n) => <Reviewers nomination={n} expertsPerNomination={expertsPerNomination} />,
            },
            { header: t('回避专家', 'Recused'), cell: (n) => <Recused nomination={n} /> },
          ]}
        />
      )}
    </section>
  );
}

type PanelNomination = ExpertPanel['nominations'][number];

function Reviewers(props: { nomination: PanelNomination; expertsPerNomination: number }) {
  const { nomination: n, expertsPerNomination } = props;
  return (
    <>
      {n.reviewers.length === 0 ? (
        <span class="fail">{t('尚未分配', 'None yet')}</span>
      ) : (
        <ul class="plain">
          {n.reviewers.map((r) => (
            <li key={r.expertId}>
              {r.name}{' '}
              {r.done ? (
                <span class="pass small" title={formatTime(r.submittedAt)}>
                  {t('✓ 已评', '✓ reviewed')}
                </span>
              ) : (
                <span class="muted small">{t('待评', 'pending')}</span>
              )}
              {r.conflict && <span class="flag flag-fail">{t('利益冲突', 'conflict')}</span>}
            </li>
          ))}
        </ul>
      )}
      {n.awaitingExperts && (
        <span class="flag flag-warn">
          {t(
            `缺 ${expertsPerNomination - n.reviewers.length} 位`,
            `${expertsPerNomination - n.reviewers.length} missing`,
          )}
        </span>
      )}
    </>
  );
}

function Recused(props: { nomination: PanelNomination }) {
  const excluded = props.nomination.excludedByConflict;
  if (excluded.length === 0) return <span class="muted">—</span>;
  return (
    <>
      {excluded.map((e) => (
        <span key={e.expertId} class="flag flag-warn">
          {t('回避：', 'recused: ')}
          {e.name}
        </span>
      ))}
    </>
  );
}

function InviteForm(props: {
  units: readonly { id: string; name: string }[];
  onInvited: () => Promise<void>;
}) {
  const campaign = campaignRules();
  const [role, setRole] = useState<'expert' | 'unit'>('expert');
  const [fields, setFields] = useState({
    name: '',
    email: '',
    affiliation: '',
    unitType: '',
    validUntil: '',
  });
  const [sent, setSent] = useState<{ to: string; name: string; role: 'expert' | 'unit' } | null>(null);
  const invite = useAction(async () => {
    const body =
      role === 'expert'
        ? {
            role,
            name: fields.name.trim(),
            email: fields.email.trim(),
            ...(fields.affiliation ? { affiliation: fields.affiliation } : {}),
            ...(fields.validUntil ? { validUntil: fields.validUntil } : {}),
          }
        : {
            role,
            name: fields.name.trim(),
            email: fields.email.trim(),
            unitType: fields.unitType,
            ...(fields.validUntil ? { validUntil: fields.validUntil } : {}),
          };
    const answer = await post<{ sentTo: string }>('/api/invitations', body);
    setSent({ to: answer.sentTo, name: fields.name.trim(), role });
    setFields({
      name: '',
      email: '',
      affiliation: '',
      unitType: fields.unitType,
      validUntil: fields.validUntil,
    });
    if (role === 'expert') await props.onInvited();
  });
  const problems = fieldProblems(invite.error);
  const set = (key: keyof typeof fields) => (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) =>
    setFields({ ...fields, [key]: e.currentTarget.value });
  const describedBy = (key: string, hint?: boolean) =>
    [hint ? `invite-${key}-hint` : '', problems[key] ? `invite-${key}-problem` : '']
      .filter(Boolean)
      .join(' ') || undefined;
  const Problem = (p: { name: string }) =>
    problems[p.name] ? (
      <p class="problem" id={`invite-${p.name}-problem`}>
        {problems[p.name]}
      </p>
    ) : null;

  return (
    <section aria-labelledby="invite-title">
      <h2 id="invite-title">{t('邀请评审专家或推荐单位', 'Invite an expert or a unit')}</h2>
      <p class="muted">
        {t(
          '登录链接通过电子邮件直接发送给被邀请人，本页面不会显示链接。',
          'The sign-in link is e-mailed to the person invited; it is never shown here.',
        )}
      </p>
      <form
        class="invite-form"
        onSubmit={(e) => {
          e.preventDefault();
          setSent(null);
          void invite.run();
        }}
      >
        <fieldset>
          <legend>{t('邀请对象', 'Who')}</legend>
          <div class="check-option">
            <input
              type="radio"
              id="invite-role-expert"
              name="invite-role"
              checked={role === 'expert'}
              onChange={() => setRole('expert')}
            />
            <label for="invite-role-expert">{t('评审专家', 'Expert')}</label>
          </div>
          <div class="check-option">
            <input
              type="radio"
              id="invite-role-unit"
              name="invite-role"
              checked={role === 'unit'}
              onChange={() => setRole('unit')}
            />
            <label for="invite-role-unit">{t('推荐单位', 'Recommending unit')}</label>
          </div>
        </fieldset>
        <div class="form-grid">
          <div class="field">
            <label for="invite-name">
              {role === 'expert' ? t('专家姓名', 'Expert name') : t('单位名称', 'Unit name')}
            </label>
            <input
              id="invite-name"
              required
              maxLength={100}
              value={fields.name}
              onInput={set('name')}
              aria-invalid={problems.name ? true : undefined}
              aria-describedby={describedBy('name')}
            />
            <Problem name="name" />
          </div>
          <div class="field">
            <label for="invite-email">{t('电子邮箱', 'E-mail')}</label>
            <input
              id="invite-email"
              type="email"
              required
              value={fields.email}
              onInput={set('email')}
              aria-invalid={problems.email ? true : undefined}
              aria-describedby={describedBy('email')}
              autoComplete="off"
            />
            <Problem name="email" />
          </div>
          {role === 'expert' ? (
            <div class="field">
              <label for="invite-affiliation">
                {t('所在推荐单位（如有）', "Expert's own unit (if any)")}
              </label>
              <UnitSelect
                id="invite-affiliation"
                value={fields.affiliation}
                choices={props.units}
                onChange={(affiliation) => setFields({ ...fields, affiliation })}
                invalid={Boolean(problems.affiliation)}
                describedBy={describedBy('affiliation', true)}
                emptyLabel={t('无', 'None')}
              />
              <p class="hint" id="invite-affiliation-hint">
                {t(
                  '该专家不会评审此单位的推荐（利益回避）。',
                  'The expert never reviews this unit’s nominations.',
                )}
              </p>
              <Problem name="affiliation" />
            </div>
          ) : (
            <div class="field">
              <label for="invite-unitType">{t('推荐单位类型', 'Unit type')}</label>
              <select
                id="invite-unitType"
                required
                value={fields.unitType}
                onChange={set('unitType')}
                aria-invalid={problems.unitType ? true : undefined}
                aria-describedby={describedBy('unitType', true)}
              >
                <option value="">{t('请选择', 'Choose')}</option>
                {campaign?.unitTypes.map((u) => (
                  <option key={u.id} value={u.id}>
                    {tr(u.name)}
                  </option>
                ))}
              </select>
              <p class="hint" id="invite-unitType-hint">
                {t('类型决定推荐名额。', 'The type sets the quota.')}
              </p>
              <Problem name="unitType" />
            </div>
          )}
          <div class="field">
            <label for="invite-validUntil">
              {t('链接有效期至（可不填）', 'Link valid until (optional)')}
            </label>
            <input
              id="invite-validUntil"
              type="date"
              value={fields.validUntil}
              onInput={set('validUntil')}
              aria-invalid={problems.validUntil ? true : undefined}
              aria-describedby={describedBy('validUntil', true)}
            />
            <p class="hint" id="invite-validUntil-hint">
              {t(
                '到当日 24:00（北京时间）。不填则有效至报送截止后再加退回修改期，且不少于 14 天。',
                'Until 24:00 China time that day. Left empty, the link lasts through submissions and the correction period, and at least 14 days.',
              )}
            </p>
            <Problem name="validUntil" />
          </div>
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={invite.busy}>
            {invite.busy ? t('发送中…', 'Sending…') : t('发送邀请', 'Send the invitation')}
          </button>
        </div>
        <ErrorNotice error={invite.error} />
        {sent && (
          <div class="notice ok" role="status">
            <p>
              {t(
                `已向 ${sent.to} 发送${sent.role === 'expert' ? '评审专家' : '推荐单位'}“${sent.name}”的登录链接。`,
                `The sign-in link for ${sent.role === 'expert' ? 'expert' : 'unit'} “${sent.name}” was sent to ${sent.to}.`,
              )}
            </p>
          </div>
        )}
      </form>
    </section>
  );
}

/**
 * Ends the access of whoever was invited at an address — a contact who left the unit, a link
 * sent to the wrong mailbox: every link sent there stops working and anyone signed in with one is
 * signed out. The unit's other contacts keep theirs; inviting the address again gives access anew.
 */
function RevokeForm() {
  const [email, setEmail] = useState('');
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<{ email: string; answer: RevocationAnswer } | null>(null);
  const revoke = useAction(async () => {
    const answer = await post<RevocationAnswer>('/api/invitations/revocations', { email: email.trim() });
    setDone({ email: email.trim(), answer });
    setEmail('');
    setOpen(false);
  });
  const problems = fieldProblems(revoke.error);
  // An address not found (or not an address) is said under the field: the dialog closes on it.
  useEffect(() => {
    if (problems.email) setOpen(false);
  }, [problems.email]);
  const whom = (answer: RevocationAnswer) =>
    answer.revoked.map((p) => `${tr(ROLE_NAMES[p.role])}“${p.name}”`);
  return (
    <section aria-labelledby="revoke-title">
      <h2 id="revoke-title">{t('撤销登录权限', 'Revoke access')}</h2>
      <p class="muted">
        {t(
          '推荐单位联系人离职或邀请发错邮箱时使用：发往该邮箱的全部登录链接立即失效，已用其登录的人随即退出（最长约 1 分钟）。同一单位的其他联系人不受影响；如需恢复，重新邀请即可。评审专家通过评审链接评审，请在上方总表中为其更换专家。',
          'For a unit contact who left, or an invitation sent to the wrong address: every sign-in link sent there stops working at once and anyone signed in with one is signed out (within about a minute). Other contacts of the same unit keep theirs; invite the address again to restore access. Experts review through review links: swap the expert in the table above instead.',
        )}
      </p>
      <form
        class="invite-form"
        onSubmit={(e) => {
          e.preventDefault();
          setDone(null);
          revoke.clear();
          setOpen(true);
        }}
      >
        <div class="field">
          <label for="revoke-email">{t('受邀时使用的邮箱地址', 'Address the invitation went to')}</label>
          <input
            id="revoke-email"
            type="email"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            aria-invalid={problems.email ? true : undefined}
            aria-describedby={problems.email ? 'revoke-email-problem' : undefined}
            autoComplete="off"
          />
          {problems.email && (
            <p class="problem" id="revoke-email-problem">
              {problems.email}
            </p>
          )}
        </div>
        <div class="actions">
          <button type="submit" class="danger">
            {t('撤销登录权限…', 'Revoke access…')}
          </button>
        </div>
        {!open && !problems.email && <ErrorNotice error={revoke.error} />}
        {done && (
          <div class="notice ok" role="status">
            <p>
              {t(
                `已撤销 ${done.email} 的登录权限：${whom(done.answer).join('、')}。本次作废登录链接 ${done.answer.links} 个，结束登录 ${done.answer.sessions} 个。`,
                `Access revoked for ${done.email}: ${whom(done.answer).join(', ')}. ${done.answer.links} sign-in link(s) revoked and ${done.answer.sessions} session(s) ended now.`,
              )}
            </p>
          </div>
        )}
      </form>
      <ConfirmDialog
        id="revoke-dialog"
        open={open}
        title={t('确认撤销登录权限？', 'Revoke access?')}
        confirmLabel={t('确认撤销权限', 'Revoke access')}
        danger
        busy={revoke.busy}
        onConfirm={() => void revoke.run()}
        onClose={() => setOpen(false)}
      >
        <p>
          {t(
            `发往 ${email.trim()} 的全部登录链接将失效，已登录的将被退出。此操作不能撤回，但可以重新邀请。`,
            `Every sign-in link sent to ${email.trim()} will stop working and anyone signed in with one is signed out. This cannot be undone, but the address can be invited again.`,
          )}
        </p>
        <ErrorNotice error={revoke.error} />
      </ConfirmDialog>
    </section>
  );
}
