import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Receipt } from '../api/transactions';
import type { SignedAction } from '../api/useSignedAction';
import { useAuth } from '../auth/AuthContext';
import type { OrgKind, ProposalInput } from '../gql/graphql';
import { SignedForm } from '../loans/forms';
import { parseDays } from '../loans/rules';
import { USER_ID } from '../org/roles';
import { Field, Select } from '../receipts/Field';
import type { OrgSummary } from '../receipts/useOrganisations';
import type { ProposalView } from './ProposalCard';
import {
  ADMISSION_KINDS,
  DEFAULT_PROPOSAL_DAYS,
  MAX_NAME,
  MAX_POLICY_BYTES,
  MAX_PROPOSAL_DAYS,
  MAX_REASON,
  ORG_ID,
  newProposalId,
  validLogVkey,
  validPublicKey,
  validText,
} from './rules';
import { proposeAdmission, proposeLogRotation, proposeReinstatement, proposeSuspension, proposeWitnessPolicy } from './transactions';

/** What every proposal says besides its action: why, and for how many days it takes votes. */
function useTerms() {
  const [reason, setReason] = useState('');
  const [days, setDays] = useState(String(DEFAULT_PROPOSAL_DAYS));
  const parsed = parseDays(days, 1, MAX_PROPOSAL_DAYS);
  return {
    reason,
    setReason,
    days,
    setDays,
    reasonOk: validText(reason, MAX_REASON),
    daysOk: parsed !== null,
    // A fresh id per signing, so that a refused attempt is not a taken id the next time.
    input: (): ProposalInput => ({ proposal: newProposalId(), reason: reason.trim(), days: parsed ?? DEFAULT_PROPOSAL_DAYS, documents: [] }),
    reset: () => (setReason(''), setDays(String(DEFAULT_PROPOSAL_DAYS))),
  };
}

type Terms = ReturnType<typeof useTerms>;

function TermsFields({ terms, prefix }: { terms: Terms; prefix: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={t('governance.propose.reason')} value={terms.reason} onChange={terms.setReason} testId={`${prefix}-reason`} invalid={!terms.reasonOk} hint={t('governance.propose.reasonRule', { max: MAX_REASON })} />
      <Field label={t('governance.propose.days')} value={terms.days} onChange={terms.setDays} testId={`${prefix}-days`} invalid={!terms.daysOk} hint={t('governance.propose.daysRule', { max: MAX_PROPOSAL_DAYS })} />
    </>
  );
}

interface FormProps {
  action: SignedAction;
  onDone: () => unknown;
}

/** Proposes a new member organisation with its first admin, whose key is active once the quorum approves. */
export function AdmissionForm({ action, onDone }: FormProps) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const terms = useTerms();
  const [org, setOrg] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<OrgKind>('SME');
  const [adminUser, setAdminUser] = useState('');
  const [adminName, setAdminName] = useState('');
  const [adminKey, setAdminKey] = useState('');
  const ok =
    ORG_ID.test(org) &&
    validText(name, MAX_NAME) &&
    USER_ID.test(adminUser) &&
    validText(adminName, MAX_NAME) &&
    validPublicKey(adminKey.trim()) &&
    terms.reasonOk &&
    terms.daysOk;
  const submit = async (): Promise<Receipt> =>
    proposeAdmission(await txContext(), terms.input(), {
      org,
      name: name.trim(),
      kind,
      admin: { user: adminUser, name: adminName.trim(), key: adminKey.trim() },
    });
  const reset = () => {
    for (const set of [setOrg, setName, setAdminUser, setAdminName, setAdminKey]) set('');
    setKind('SME');
    terms.reset();
  };

  return (
    <SignedForm
      id="propose-admission"
      title={t('governance.propose.admission.title')}
      explain={t('governance.propose.admission.explain')}
      ok={ok}
      action={action}
      submit={submit}
      onDone={() => (reset(), onDone())}
      submitLabel={t('governance.propose.submit')}
    >
      <div className="form-grid">
        <Field label={t('governance.propose.admission.org')} value={org} onChange={setOrg} testId="admission-org" invalid={!ORG_ID.test(org)} hint={t('governance.propose.admission.orgRule')} />
        <Field label={t('governance.propose.admission.name')} value={name} onChange={setName} testId="admission-name" invalid={!validText(name, MAX_NAME)} />
        <Select label={t('governance.propose.admission.kind')} value={kind} onChange={setKind} testId="admission-kind" options={ADMISSION_KINDS.map((k) => ({ value: k, label: t(`orgKind.${k}`) }))} />
        <Field
          label={t('governance.propose.admission.adminUser')}
          value={adminUser}
          onChange={setAdminUser}
          testId="admission-admin-user"
          invalid={!USER_ID.test(adminUser)}
          hint={t('org.invite.userRule')}
          placeholder={org ? `${org}.admin` : undefined}
        />
        <Field label={t('governance.propose.admission.adminName')} value={adminName} onChange={setAdminName} testId="admission-admin-name" invalid={!validText(adminName, MAX_NAME)} />
        <Field
          label={t('governance.propose.admission.adminKey')}
          value={adminKey}
          onChange={setAdminKey}
          testId="admission-admin-key"
          invalid={!validPublicKey(adminKey.trim())}
          hint={t('governance.propose.admission.keyRule')}
        />
        <TermsFields terms={terms} prefix="admission" />
      </div>
      <p className="hint">{t('governance.propose.admission.keyExplain')}</p>
    </SignedForm>
  );
}

/**
 * Suspends or reinstates one organisation of those it may concern: it picks
 * from `candidates`, and says so plainly when there is none.
 */
function StatusForm({
  kind,
  candidates,
  sign,
  action,
  onDone,
}: FormProps & {
  kind: 'suspension' | 'reinstatement';
  candidates: readonly OrgSummary[];
  sign: (input: ProposalInput, org: string) => Promise<Receipt>;
}) {
  const { t } = useTranslation();
  const terms = useTerms();
  const [picked, setPicked] = useState('');
  // Nothing is chosen for the admin: suspending the first organisation of a list by default would be an easy mistake.
  // A pick that stops being a candidate (another proposal now concerns it) is dropped.
  const org = candidates.some((o) => o.id === picked) ? picked : '';
  const ok = org !== '' && terms.reasonOk && terms.daysOk;
  return (
    <SignedForm
      id={`propose-${kind}`}
      title={t(`governance.propose.${kind}.title`)}
      explain={t(`governance.propose.${kind}.explain`)}
      ok={ok}
      action={action}
      submit={() => sign(terms.input(), org)}
      onDone={() => (setPicked(''), terms.reset(), onDone())}
      submitLabel={t('governance.propose.submit')}
      danger={kind === 'suspension'}
    >
      {candidates.length === 0 ? (
        <p className="muted" data-testid={`${kind}-none`}>
          {t(`governance.propose.${kind}.none`)}
        </p>
      ) : (
        <div className="form-grid">
          <Select
            label={t('governance.propose.organisation')}
            value={org}
            onChange={setPicked}
            testId={`${kind}-org`}
            options={[{ value: '', label: t('governance.propose.choose') }, ...candidates.map((o) => ({ value: o.id, label: `${o.name} (${o.id})` }))]}
          />
          <TermsFields terms={terms} prefix={kind} />
        </div>
      )}
    </SignedForm>
  );
}

/**
 * Proposes a witness policy (a C2SP tlog-policy file) in place of the one in
 * force. The node checks that it parses; while another policy proposal is
 * open, none is offered.
 */
function PolicyForm({ action, onDone, busy }: FormProps & { busy: boolean }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const terms = useTerms();
  const [policy, setPolicy] = useState('');
  // A policy file ends in a newline, as the node's own files do.
  const text = policy.trim() === '' ? '' : `${policy.replace(/\s+$/, '')}\n`;
  const ok = !busy && text.startsWith('log ') && new TextEncoder().encode(text).length <= MAX_POLICY_BYTES && terms.reasonOk && terms.daysOk;
  return (
    <SignedForm
      id="propose-policy"
      title={t('governance.propose.policy.title')}
      explain={t('governance.propose.policy.explain')}
      ok={ok}
      action={action}
      submit={async () => proposeWitnessPolicy(await txContext(), terms.input(), text)}
      onDone={() => (setPolicy(''), terms.reset(), onDone())}
      submitLabel={t('governance.propose.submit')}
    >
      {busy ? (
        <p className="muted" data-testid="policy-busy">
          {t('governance.propose.policy.busy')}
        </p>
      ) : (
        <div className="form-grid">
          <label className="policy-field">
            {t('governance.propose.policy.text')}
            <textarea rows={8} value={policy} onChange={(e) => setPolicy(e.target.value)} data-testid="policy-text" spellCheck={false} />
            <span className="hint">{t('governance.propose.policy.rule')}</span>
          </label>
          <TermsFields terms={terms} prefix="policy" />
        </div>
      )}
    </SignedForm>
  );
}

/**
 * Proposes handing the log key over to a new key, which the operator made
 * with `godown keygen`. While another rotation is open, or an adopted one
 * waits for its hand-over, none is offered.
 */
function RotationForm({ action, onDone, busy }: FormProps & { busy: boolean }) {
  const { t } = useTranslation();
  const { txContext, ledger } = useAuth();
  const terms = useTerms();
  const [vkey, setVkey] = useState('');
  const origin = ledger?.origin ?? '';
  const valid = validLogVkey(vkey.trim(), origin);
  const ok = !busy && valid && terms.reasonOk && terms.daysOk;
  return (
    <SignedForm
      id="propose-rotation"
      title={t('governance.propose.rotation.title')}
      explain={t('governance.propose.rotation.explain')}
      ok={ok}
      action={action}
      submit={async () => proposeLogRotation(await txContext(), terms.input(), vkey.trim())}
      onDone={() => (setVkey(''), terms.reset(), onDone())}
      submitLabel={t('governance.propose.submit')}
      danger
    >
      {busy ? (
        <p className="muted" data-testid="rotation-busy">
          {t('governance.propose.rotation.busy')}
        </p>
      ) : (
        <div className="form-grid">
          <Field label={t('governance.propose.rotation.vkey')} value={vkey} onChange={setVkey} testId="rotation-vkey" invalid={!valid} hint={t('governance.propose.rotation.rule', { origin })} />
          <TermsFields terms={terms} prefix="rotation" />
        </div>
      )}
    </SignedForm>
  );
}

/**
 * The proposals an admin may open. An organisation that an open
 * proposal already concerns is not offered: the node allows one at a time.
 */
export function ProposeForms({ orgs, proposals, action, onDone }: FormProps & { orgs: readonly OrgSummary[]; proposals: readonly ProposalView[] }) {
  const { txContext, ledger } = useAuth();
  const open = proposals.filter((p) => p.standing === 'OPEN');
  const busy = new Set(open.map((p) => p.org));
  // The operator organisation cannot be suspended, and so is never suspended to reinstate.
  const members = orgs.filter((o) => o.kind !== 'OPERATOR' && !busy.has(o.id));
  return (
    <>
      <AdmissionForm action={action} onDone={onDone} />
      <StatusForm
        kind="suspension"
        candidates={members.filter((o) => o.status === 'ACTIVE')}
        sign={async (input, org) => proposeSuspension(await txContext(), input, org)}
        action={action}
        onDone={onDone}
      />
      <StatusForm
        kind="reinstatement"
        candidates={members.filter((o) => o.status === 'SUSPENDED')}
        sign={async (input, org) => proposeReinstatement(await txContext(), input, org)}
        action={action}
        onDone={onDone}
      />
      <PolicyForm action={action} onDone={onDone} busy={open.some((p) => p.action === 'POLICY')} />
      <RotationForm action={action} onDone={onDone} busy={(ledger?.logVkeyNext ?? null) !== null || open.some((p) => p.action === 'LOG_ROTATION')} />
    </>
  );
}
