import { useMemo } from 'preact/hooks';
import { CATEGORY_NAMES, type CategoryId } from '../../../../functions/rules/categories.js';
import type { ListedNomination } from '../../../../functions/rules/nomination-view.js';
import { post } from '../../api.js';
import { formatTime, t, tr } from '../../i18n.js';
import { navigate } from '../../router.js';
import { session } from '../../session.js';
import { ErrorNotice, Layout, Loaded, RequireRole, StatusBadge } from '../../ui/components.js';
import { useAction, useResource } from '../../ui/hooks.js';
import { Pager, usePages } from '../secretariat/common.js';
import { EDITABLE_STATUSES, loadOverview } from './common.js';
import { Countdown, serverClock } from './countdown.js';
import type { CampaignOverview, NominationList, NominationView } from './types.js';
import './unit.css';

/** `/unit`: the recommending unit's desk — deadline, quota per category, its nominations. */
export function UnitDashboardPage() {
  return (
    <RequireRole roles={['unit']}>
      <Dashboard />
    </RequireRole>
  );
}

function Dashboard() {
  const actor = session.value?.actor;
  const campaignId = actor?.campaignId ?? '';
  const overview = useResource((signal) => loadOverview(campaignId, signal), [campaignId]);
  // A page at a time (at most 100 rows): the drafts per category come with every page.
  const list = usePages<NominationList>('/api/nominations');
  const create = useAction(async (category: CategoryId) => {
    const answer = await post<NominationView>('/api/nominations', { category });
    navigate(`/unit/nominations/${answer.nomination.id}`);
  });
  return (
    <Layout title={t('我的推荐', 'My nominations')}>
      <Loaded resource={overview}>
        {(data) => (
          <>
            <p class="unit-lead">
              {tr(data.campaign.name)}
              <br />
              <span class="muted">
                {actor?.name}
                {data.viewer.unitTypeName && ` · ${tr(data.viewer.unitTypeName)}`}
              </span>
            </p>
            <DeadlineCard overview={data} />
            <ContactsCard contacts={data.contacts} />
            <h2>{t('推荐名额与新建推荐', 'Quota and new nominations')}</h2>
            <p class="muted small">
              {t(
                '名额在提交时占用；草稿不占名额，撤回或未通过初核的推荐会退还名额。',
                'A slot is taken on submission; drafts take none, and a withdrawn or rejected nomination gives its slot back.',
              )}
            </p>
            <ErrorNotice error={create.error} />
            <div class="cards">
              {data.categories.map((category) => (
                <QuotaCard
                  key={category.id}
                  category={category}
                  drafts={list.page.data?.drafts[category.id] ?? 0}
                  busy={create.busy}
                  open={data.deadline.open}
                  onCreate={() => create.run(category.id)}
                />
              ))}
            </div>
          </>
        )}
      </Loaded>
      <h2>{t('本单位的推荐', "Your unit's nominations")}</h2>
      <Loaded resource={list.page}>{(data) => <NominationTable nominations={data.nominations} />}</Loaded>
      <Pager label={t('翻页', 'Pages')} number={list.number} next={list.next} previous={list.previous} />
    </Layout>
  );
}

function DeadlineCard(props: { overview: CampaignOverview }) {
  const { deadline, now } = props.overview;
  // The clock is taken once per answer: the countdown then runs on without asking again.
  const clock = useMemo(() => serverClock(now), [now]);
  return (
    <section class="card unit-deadline" aria-labelledby="unit-deadline-title">
      <h2 id="unit-deadline-title" class="unit-card-title">
        {t('提交截止时间', 'Submission deadline')}
      </h2>
      {deadline.closedEarly ? (
        <div class="notice" role="status">
          <p>
            {t(
              `秘书处已于 ${formatTime(deadline.closedEarly.at)} 提前截止报送（理由：${deadline.closedEarly.reason}）。不能再新建或提交推荐；被退回修改的推荐仍可在修改期限内重新提交。`,
              `The secretariat closed submissions early on ${formatTime(deadline.closedEarly.at)} (reason: ${deadline.closedEarly.reason}). No nomination can be created or submitted; a nomination returned for correction may still be resubmitted within its correction period.`,
            )}
          </p>
        </div>
      ) : (
        <Countdown deadline={deadline.at} now={clock} extended={deadline.extended} />
      )}
    </section>
  );
}

function ContactsCard(props: { contacts: CampaignOverview['contacts'] }) {
  if (props.contacts.length === 0) return null;
  return (
    <section class="card unit-contacts" aria-labelledby="unit-contacts-title">
      <h2 id="unit-contacts-title" class="unit-card-title">
        {t('联系方式', 'Contacts')}
      </h2>
      <ul class="plain">
        {props.contacts.map((c) => (
          <li key={c.office.zh}>
            <strong>{tr(c.office)}</strong>
            <br />
            {t('联系人', 'Contact')}：{c.people.join('、')}
            {c.phones.length > 0 && (
              <>
                {' · '}
                {t('电话', 'Phone')}：{c.phones.join('、')}
              </>
            )}
            {c.email && (
              <>
                {' · '}
                {t('邮箱', 'E-mail')}：<a href={`mailto:${c.email}`}>{c.email}</a>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function QuotaCard(props: {
  category: CampaignOverview['categories'][number];
  drafts: number;
  busy: boolean;
  open: boolean;
  onCreate: () => void;
}) {
  const { category } = props;
  const quota = category.quota;
  const full = quota?.remaining === 0;
  const headingId = `unit-quota-${category.id}`;
  const percent = quota?.limit ? Math.min(100, Math.round((quota.used / quota.limit) * 100)) : 0;
  return (
    <section class="card unit-quota" aria-labelledby={headingId}>
      <h3 id={headingId}>{tr(category.name)}</h3>
      {quota && quota.limit !== null ? (
        <>
          <p class="unit-quota-figure">
            {t('已用名额', 'Slots used')}{' '}
            <strong>
              {quota.used} / {quota.limit}
            </strong>
            {quota.scope === 'total' && (
              <span class="muted small">{t('（各类别合计）', ' (all categories)')}</span>
            )}
          </p>
          <div class="unit-quota-bar" aria-hidden="true">
            <span style={{ width: `${percent}%` }} />
          </div>
        </>
      ) : (
        <p class="unit-quota-figure">
          {t('已提交', 'Submitted')} <strong>{quota?.used ?? 0}</strong> · {t('不限名额', 'no quota')}
        </p>
      )}
      {quota && <p class="small muted">{tr(quota.rule)}</p>}
      <p class="small">
        {category.photos.min === category.photos.max
          ? t(`照片 ${category.photos.min} 张`, `${category.photos.min} photos`)
          : t(
              `照片 ${category.photos.min}—${category.photos.max} 张`,
              `${category.photos.min}–${category.photos.max} photos`,
            )}
        {props.drafts > 0 && t(`；草稿 ${props.drafts} 份`, `; ${props.drafts} draft(s)`)}
      </p>
      {full ? (
        <p class="small unit-full">{t('名额已用完，不能再新建。', 'Quota used up: no new nomination.')}</p>
      ) : !props.open ? (
        <p class="small unit-full">{t('已过截止时间，不能再新建。', 'The deadline has passed.')}</p>
      ) : (
        <button type="button" class="primary" disabled={props.busy} onClick={props.onCreate}>
          {t('新建推荐', 'New nomination')}
          <span class="visually-hidden">{`：${tr(category.name)}`}</span>
        </button>
      )}
    </section>
  );
}

function NominationTable(props: { nominations: ListedNomination[] }) {
  const rows = [...props.nominations].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  if (rows.length === 0) {
    return (
      <p class="muted">
        {t(
          '尚无推荐。请在上方选择类别，点击“新建推荐”。',
          'No nominations yet. Choose a category above and press "New nomination".',
        )}
      </p>
    );
  }
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{t('本单位的推荐', "Your unit's nominations")}</caption>
        <thead>
          <tr>
            <th scope="col">{t('推荐对象', 'Nominee')}</th>
            <th scope="col">{t('类别', 'Category')}</th>
            <th scope="col">{t('状态', 'Status')}</th>
            <th scope="col">{t('最近更新', 'Last change')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((nomination) => {
            const name = nomination.name || t('（未填写名称）', '(no name yet)');
            return (
              <tr key={nomination.id}>
                <td>
                  <a href={`/unit/nominations/${nomination.id}`}>{name}</a>
                  {EDITABLE_STATUSES.has(nomination.status) && (
                    <span class="small muted">
                      {' '}
                      ·{' '}
                      {nomination.status === 'returned' ? t('待修改', 'to correct') : t('可编辑', 'editable')}
                    </span>
                  )}
                  {nomination.status === 'returned' && nomination.reasons && (
                    <p class="small unit-reason-inline">
                      <strong>{t('退回意见：', 'To correct: ')}</strong>
                      {nomination.reasons}
                    </p>
                  )}
                </td>
                <td>{tr(CATEGORY_NAMES[nomination.category])}</td>
                <td>
                  <StatusBadge status={nomination.status} />
                </td>
                <td>
                  <time dateTime={nomination.updatedAt}>{formatTime(nomination.updatedAt)}</time>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
