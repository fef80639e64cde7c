import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { inviteUser } from '../api/transactions';
import { useSignedAction } from '../api/useSignedAction';
import { ActionOutcome } from '../app/ActionOutcome';
import { FormCard, SubmitButton } from '../app/forms';
import { useAuth } from '../auth/AuthContext';
import type { Role } from '../gql/graphql';
import { ROLES, USER_ID } from './roles';

/** Invites a user into the admin's organisation; the e-mail stays off the ledger. */
export function InviteForm({ org, onInvited }: { org: string; onInvited: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const action = useSignedAction();
  const [user, setUser] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<Role[]>(['VIEWER']);

  const validUser = USER_ID.test(user);
  const canSubmit = validUser && name.trim() !== '' && roles.length > 0 && action.busy === null;

  return (
    <FormCard
      testId="invite-form"
      title={t('org.invite.title')}
      ok={canSubmit}
      onSubmit={() =>
        void action.run(
          'invite',
          async () =>
            inviteUser(await txContext(), { org, user, name: name.trim(), roles }, email.trim() === '' ? null : email.trim()),
          () => {
            setUser('');
            setName('');
            setEmail('');
            setRoles(['VIEWER']);
            return onInvited();
          },
        )
      }
    >
      <label>
        {t('org.invite.user')}
        <input
          value={user}
          onChange={(e) => setUser(e.target.value)}
          placeholder={`${org}.name`}
          data-testid="invite-user"
          aria-invalid={user !== '' && !validUser}
        />
      </label>
      {user !== '' && !validUser && <p className="hint">{t('org.invite.userRule')}</p>}
      <label>
        {t('org.invite.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="invite-name" />
      </label>
      <label>
        {t('org.invite.email')}
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="invite-email" />
      </label>
      <p className="hint">{t('org.invite.emailOffLedger')}</p>
      <fieldset>
        <legend>{t('org.invite.roles')}</legend>
        {ROLES.map((r) => (
          <label key={r} className="checkbox">
            <input
              type="checkbox"
              checked={roles.includes(r)}
              onChange={(e) => setRoles((prev) => (e.target.checked ? [...prev, r] : prev.filter((x) => x !== r)))}
            />
            {t(`roles.${r}`)}
          </label>
        ))}
      </fieldset>
      <SubmitButton label={t('org.invite.submit')} testId="invite-submit" disabled={!canSubmit} signing={action.busy !== null} />
      <ActionOutcome action={action} />
    </FormCard>
  );
}
