import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSignedAction } from '../api/useSignedAction';
import { ActionOutcome } from '../app/ActionOutcome';
import { FormCard, SubmitButton } from '../app/forms';
import { useAuth } from '../auth/AuthContext';
import { uploadDocument } from './documents';
import { Field, Select, parsePieces } from './Field';
import { HS_CODE, UNIT_CODES, type Unit, newId, validQuantity } from './rules';
import { receiveGoods } from './transactions';

export interface OrgOption {
  id: string;
  name: string;
}

/** Goods arrive: a new lot, with its supporting documents uploaded first and named by hash. */
export function ReceiveGoodsForm({ depositors, onDone }: { depositors: readonly OrgOption[]; onDone: () => unknown }) {
  const { t } = useTranslation();
  const { txContext, session } = useAuth();
  const action = useSignedAction();
  const [depositor, setDepositor] = useState('');
  const [commodity, setCommodity] = useState('');
  const [hsCode, setHsCode] = useState('');
  const [grade, setGrade] = useState('');
  const [quantity, setQuantity] = useState('');
  const [unit, setUnit] = useState<Unit>('TNE');
  const [packaging, setPackaging] = useState('');
  const [pieces, setPieces] = useState('');
  const [marks, setMarks] = useState('');
  const [location, setLocation] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [fileKey, setFileKey] = useState(0);

  const chosen = depositor || depositors[0]?.id || '';
  const piecesN = parsePieces(pieces);
  const valid =
    chosen !== '' &&
    commodity.trim() !== '' &&
    HS_CODE.test(hsCode) &&
    grade.trim() !== '' &&
    validQuantity(quantity, unit) &&
    packaging.trim() !== '' &&
    piecesN !== null &&
    // The contract keeps the marks as signed text of 1 to 500 characters.
    marks.trim() !== '' &&
    location.trim() !== '';

  return (
    <FormCard
      testId="receive-form"
      title={t('warehouse.receive.title')}
      explain={t('warehouse.receive.explain')}
      ok={valid}
      onSubmit={() => {
        if (piecesN === null || !session) return;
        void action.run(
          'receive',
          async () => {
            const documents: string[] = [];
            for (const f of files) documents.push(await uploadDocument(f, session.token));
            return receiveGoods(await txContext(), {
              lot: newId('lot'),
              depositor: chosen,
              commodity: commodity.trim(),
              hsCode,
              grade: grade.trim(),
              quantity,
              unit,
              packaging: packaging.trim(),
              pieces: piecesN,
              marks: marks.trim(),
              location: location.trim(),
              documents,
            });
          },
          () => {
            setCommodity('');
            setHsCode('');
            setGrade('');
            setQuantity('');
            setPackaging('');
            setPieces('');
            setMarks('');
            setLocation('');
            setFiles([]);
            setFileKey((k) => k + 1);
            return onDone();
          },
        );
      }}
    >
      <div className="form-grid">
        <Select
          label={t('warehouse.receive.depositor')}
          value={chosen}
          onChange={setDepositor}
          testId="receive-depositor"
          options={depositors.map((d) => ({ value: d.id, label: `${d.name} (${d.id})` }))}
        />
        <Field label={t('goods.commodity')} value={commodity} onChange={setCommodity} testId="receive-commodity" />
        <Field
          label={t('goods.hsCode')}
          value={hsCode}
          onChange={setHsCode}
          testId="receive-hs-code"
          invalid={!HS_CODE.test(hsCode)}
          hint={t('rules.hsCode')}
          placeholder="740311"
        />
        <Field label={t('goods.grade')} value={grade} onChange={setGrade} testId="receive-grade" />
        <Field
          label={t('goods.quantity')}
          value={quantity}
          onChange={setQuantity}
          testId="receive-quantity"
          invalid={!validQuantity(quantity, unit)}
          hint={t('rules.quantity', { decimals: unit === 'H87' || unit === 'BG' ? 0 : 3 })}
        />
        <Select
          label={t('goods.unit')}
          value={unit}
          onChange={setUnit}
          testId="receive-unit"
          options={UNIT_CODES.map((u) => ({ value: u, label: `${t(`units.${u}`)} (${u})` }))}
        />
        <Field label={t('goods.packaging')} value={packaging} onChange={setPackaging} testId="receive-packaging" />
        <Field
          label={t('goods.pieces')}
          value={pieces}
          onChange={setPieces}
          testId="receive-pieces"
          invalid={piecesN === null}
          hint={t('rules.pieces')}
        />
        <Field label={t('goods.marks')} value={marks} onChange={setMarks} testId="receive-marks" />
        <Field label={t('goods.location')} value={location} onChange={setLocation} testId="receive-location" />
      </div>
      <label>
        {t('warehouse.receive.documents')}
        <input
          key={fileKey}
          type="file"
          multiple
          data-testid="receive-documents"
          onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
        />
      </label>
      <p className="hint">{t('warehouse.receive.documentsExplain')}</p>
      <SubmitButton label={t('warehouse.receive.submit')} testId="receive-submit" disabled={!valid || action.busy !== null} signing={action.busy !== null} />
      <ActionOutcome action={action} />
    </FormCard>
  );
}
