import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSignedAction } from '../api/useSignedAction';
import { ActionOutcome } from '../app/ActionOutcome';
import { FormCard, SubmitButton } from '../app/forms';
import { Page } from '../app/Page';
import { useAuth } from '../auth/AuthContext';
import { uploadDocument } from './documents';
import { Field } from './Field';
import { OBJECT_ID, validQuantity } from './rules';
import { certifyLot } from './transactions';

/** An inspector certifies a lot's grade and quantity, with the certificate named by its hash. */
export function InspectionPage() {
  const { t } = useTranslation();
  const { session, txContext } = useAuth();
  const action = useSignedAction();
  const [lot, setLot] = useState('');
  const [grade, setGrade] = useState('');
  const [quantity, setQuantity] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  // The unit is the lot's; the quantity allows the finest decimals any unit does.
  const ok = OBJECT_ID.test(lot) && grade.trim() !== '' && validQuantity(quantity, 'TNE') && file !== null;

  if (!session) return null;
  return (
    <Page title={t('inspection.title')} lead={t('inspection.lead')} className="inspection">
      <FormCard
        testId="certify-form"
        title={t('inspection.certify')}
        ok={ok}
        onSubmit={() => {
          if (!file) return;
          void action.run(
            'certify',
            async () => {
              const certificate = await uploadDocument(file, session.token);
              return certifyLot(await txContext(), { lot, grade: grade.trim(), quantity, certificate });
            },
            () => {
              setLot('');
              setGrade('');
              setQuantity('');
              setFile(null);
              setFileKey((k) => k + 1);
            },
          );
        }}
      >
        <Field label={t('inspection.lot')} value={lot} onChange={setLot} testId="certify-lot" invalid={!OBJECT_ID.test(lot)} hint={t('rules.objectId')} placeholder="lot-…" />
        <Field label={t('goods.grade')} value={grade} onChange={setGrade} testId="certify-grade" />
        <Field
          label={t('inspection.quantity')}
          value={quantity}
          onChange={setQuantity}
          testId="certify-quantity"
          invalid={!validQuantity(quantity, 'TNE')}
          hint={t('rules.quantity', { decimals: 3 })}
        />
        <label>
          {t('inspection.certificate')}
          <input key={fileKey} type="file" data-testid="certify-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <p className="hint">{t('inspection.certificateExplain')}</p>
        <SubmitButton label={t('inspection.submit')} testId="certify-submit" disabled={!ok || action.busy !== null} signing={action.busy !== null} />
        <ActionOutcome action={action} />
      </FormCard>
    </Page>
  );
}
