import { useTranslation } from 'react-i18next';
import type { SignedAction } from '../api/useSignedAction';
import { Fact } from '../app/Fact';
import { formatTime, shorten } from '../app/format';
import { SignButton } from '../app/SignButton';
import { ListTable } from '../app/Table';
import { useAuth } from '../auth/AuthContext';
import type { ProposalFieldsFragment } from '../gql/graphql';
import { voteOnProposal } from './transactions';

export type ProposalView = ProposalFieldsFragment;

/** A name for an organisation id, as the page knows the members. */
type NameOf = (org: string) => string;

/** What the proposal would do, in a sentence: admit X as a kind, suspend X, reinstate X, replace the witness policy. */
export function ProposalWhat({ proposal: p, name }: { proposal: ProposalView; name: NameOf }) {
  const { t } = useTranslation();
  // An organisation being admitted is not a member yet: its name is the one the proposal gives.
  if (p.admission) return <>{t('governance.what.ADMIT', { name: p.admission.name, org: p.org, kind: t(`orgKind.${p.admission.kind}`) })}</>;
  if (p.org === null) return <>{t(`governance.what.${p.action}`)}</>;
  return <>{t(`governance.what.${p.action}`, { name: name(p.org), org: p.org })}</>;
}

function Votes({ proposal: p, name }: { proposal: ProposalView; name: NameOf }) {
  const { t } = useTranslation();
  return (
    <ListTable
      rows={p.votes}
      testId={`proposal-votes-${p.id}`}
      none={t('governance.votes.none')}
      columns={[t('governance.votes.org'), t('common.user'), t('governance.votes.vote'), t('governance.votes.entry')]}
      row={(v) => (
        <tr key={v.org} data-testid={`vote-${p.id}-${v.org}`}>
          <td>
            {name(v.org)}
            <div className="muted">{v.org}</div>
          </td>
          <td>{v.user}</td>
          <td data-testid={`vote-choice-${p.id}-${v.org}`}>
            <span className={`badge ${v.approve ? 'badge-active' : 'badge-suspended'}`}>{v.approve ? t('governance.votes.approved') : t('governance.votes.rejected')}</span>
          </td>
          <td>#{v.entry}</td>
        </tr>
      )}
    />
  );
}

/**
 * Approve and Reject, for an admin whose organisation has not voted on this
 * open proposal yet: one vote per organisation, signed here with the admin's key.
 */
function VoteButtons({ proposal: p, action, onVoted }: { proposal: ProposalView; action: SignedAction; onVoted: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const vote = (approve: boolean) => async () => voteOnProposal(await txContext(), { proposal: p.id, approve });
  return (
    <p className="actions">
      <SignButton action={action} id={`${p.id}-approve`} sign={vote(true)} onDone={onVoted} label={t('governance.vote.approve')} testId={`vote-approve-${p.id}`} showSigning />{' '}
      <SignButton
        action={action}
        id={`${p.id}-reject`}
        sign={vote(false)}
        onDone={onVoted}
        label={t('governance.vote.reject')}
        testId={`vote-reject-${p.id}`}
        className="danger"
        showSigning
      />
    </p>
  );
}

/** One proposal: what it would do and why, who opened it, until when it takes votes, and how the count stands. */
export function ProposalCard({
  proposal: p,
  name,
  voter,
  action,
  onVoted,
}: {
  proposal: ProposalView;
  name: NameOf;
  /** The organisation the signed-in admin votes for; null when they cannot vote. */
  voter: string | null;
  action: SignedAction;
  onVoted: () => unknown;
}) {
  const { t, i18n } = useTranslation();
  const ours = voter === null ? undefined : p.votes.find((v) => v.org === voter);
  return (
    <article className="proposal" data-testid={`proposal-${p.id}`}>
      <div className="card-title">
        <h3 data-testid={`proposal-what-${p.id}`}>
          <ProposalWhat proposal={p} name={name} />
        </h3>
        <span className={`badge badge-proposal-${p.standing.toLowerCase()}`} data-testid={`proposal-standing-${p.id}`}>
          {t(`governance.standing.${p.standing}`)}
        </span>
      </div>
      <dl className="facts">
        <Fact label={t('governance.reason')} testId={`proposal-reason-${p.id}`}>
          {p.reason}
        </Fact>
        {p.policy !== null && (
          <Fact label={t('governance.policy')} testId={`proposal-policy-${p.id}`}>
            <pre className="policy-text">{p.policy}</pre>
          </Fact>
        )}
        {p.logVkey !== null && (
          <Fact label={t('governance.logVkey')} testId={`proposal-log-vkey-${p.id}`}>
            <code>{p.logVkey}</code>
          </Fact>
        )}
        {p.admission && (
          <Fact label={t('governance.admin')} testId={`proposal-admin-${p.id}`}>
            {p.admission.adminName} <span className="muted">({p.admission.adminUser})</span>{' '}
            <code title={p.admission.adminKey}>{shorten(p.admission.adminKey)}</code>
          </Fact>
        )}
        <Fact label={t('governance.openedBy')} testId={`proposal-opened-by-${p.id}`}>
          {t('governance.openedByLine', { org: name(p.openedBy), user: p.openedByUser, index: p.openedAt, time: formatTime(p.opened, i18n.language) })}
        </Fact>
        <Fact label={t('governance.closes')} testId={`proposal-closes-${p.id}`}>
          {formatTime(p.closes, i18n.language)}
        </Fact>
        <Fact label={t('governance.approvals')} testId={`proposal-approvals-${p.id}`}>
          {t('governance.ofNeeded', { approvals: p.approvals, needed: p.needed })}
        </Fact>
        <Fact label={t('governance.rejections')} testId={`proposal-rejections-${p.id}`}>
          {p.rejections}
        </Fact>
        {p.decidedAt !== null && (
          <Fact label={t('governance.decided')} testId={`proposal-decided-${p.id}`}>
            {t('common.atEntry', { index: p.decidedAt })}
          </Fact>
        )}
        {p.documents.length > 0 && (
          <Fact label={t('governance.documents')}>
            {p.documents.map((d) => (
              <code key={d} title={d}>
                {shorten(d, 12, 6)}{' '}
              </code>
            ))}
          </Fact>
        )}
      </dl>
      <Votes proposal={p} name={name} />
      {p.standing === 'OPEN' && voter !== null && !ours && <VoteButtons proposal={p} action={action} onVoted={onVoted} />}
      {p.standing === 'OPEN' && ours && (
        <p className="muted" data-testid={`proposal-voted-${p.id}`}>
          {t('governance.voted', { index: ours.entry })}
        </p>
      )}
    </article>
  );
}
