//! The receipts contract's mutations: one per transaction type, each
//! parsing its input and handing the signed transaction to the sequencer.

use super::inputs::{
    AdjustStockInput, CertifyLotInput, CountStockInput, DiscardDraftInput, DraftReceiptInput,
    EncumberReceiptInput, EndorseReceiptInput, MergeReceiptsInput, ReceiptRefInput,
    ReceiveGoodsInput, RequestRedemptionInput, SplitReceiptInput, pieces, qty, receipt_ref,
};
use crate::graphql::shared::{date, money, org, p, rid, txt};

use async_graphql::{Context, Object};
use godown_domain::receipts::body::{
    AdjustStock, CertifyLot, CountStock, DiscardDraft, DraftReceipt, Encumber, Endorse,
    Insurance as InsuranceBody, Merge, Part, ReceiveGoods, RequestRedemption, Split, Terms,
};
use godown_domain::receipts::{ReceiptsTx, Stock};
use godown_domain::{DocHash, Fraction, HsCode, Name, ReceiptNumber, Unit};

use crate::error::ApiError;
use crate::graphql::mutation::run;
use crate::graphql::types::{SignatureInput, TxReceipt};

/// The receipts contract's mutations.
#[derive(Default)]
pub struct ReceiptsMutation;

#[Object]
impl ReceiptsMutation {
    /// `lot.receive`: a warehouse records goods received from a depositor.
    async fn receive_goods(
        &self,
        ctx: &Context<'_>,
        input: ReceiveGoodsInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let quantity = qty(&input.quantity)?;
        let unit = p(Unit::parse(&input.unit))?;
        p(unit.check(quantity))?;
        let tx = ReceiptsTx::Receive(ReceiveGoods {
            lot: rid(&input.lot)?,
            depositor: org(&input.depositor)?,
            commodity: p(Name::parse(&input.commodity))?,
            hs_code: p(HsCode::parse(&input.hs_code))?,
            grade: txt(&input.grade)?,
            quantity,
            unit,
            packaging: txt(&input.packaging)?,
            pieces: pieces(input.pieces)?,
            marks: txt(&input.marks)?,
            location: txt(&input.location)?,
            documents: input
                .documents
                .iter()
                .map(|d| p(DocHash::parse(d)))
                .collect::<Result<_, _>>()?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `lot.certify`: an inspector certifies a lot.
    async fn certify_lot(
        &self,
        ctx: &Context<'_>,
        input: CertifyLotInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Certify(CertifyLot {
            lot: rid(&input.lot)?,
            grade: txt(&input.grade)?,
            quantity: qty(&input.quantity)?,
            certificate: p(DocHash::parse(&input.certificate))?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `lot.count`: a stock count; less than the book flags every receipt
    /// on the lot and tells the banks they are pledged to.
    async fn count_stock(
        &self,
        ctx: &Context<'_>,
        input: CountStockInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Count(CountStock {
            lot: rid(&input.lot)?,
            counted: p(Stock::parse(&input.counted))?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `lot.adjust`: the warehouse sets the quantity on hand, with a reason.
    async fn adjust_stock(
        &self,
        ctx: &Context<'_>,
        input: AdjustStockInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Adjust(AdjustStock {
            lot: rid(&input.lot)?,
            quantity: p(Stock::parse(&input.quantity))?,
            reason: txt(&input.reason)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.draft`: a warehouse officer prepares a receipt (the maker).
    async fn draft_receipt(
        &self,
        ctx: &Context<'_>,
        input: DraftReceiptInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let t = &input.terms;
        let tx = ReceiptsTx::Draft(DraftReceipt {
            receipt: rid(&input.receipt)?,
            lot: rid(&input.lot)?,
            number: p(ReceiptNumber::parse(&input.number))?,
            quantity: qty(&input.quantity)?,
            pieces: pieces(input.pieces)?,
            terms: Terms {
                loss_allowance: p(Fraction::parse(&t.loss_allowance))?,
                storage_from: date(&t.storage_from)?,
                storage_until: date(&t.storage_until)?,
                storage_fee: money(&t.storage_fee)?,
                fee_basis: txt(&t.fee_basis)?,
                insurance: t
                    .insurance
                    .as_ref()
                    .map(|i| {
                        Ok::<_, ApiError>(InsuranceBody {
                            insurer: p(Name::parse(&i.insurer))?,
                            amount: money(&i.amount)?,
                            from: date(&i.from)?,
                            until: date(&i.until)?,
                        })
                    })
                    .transpose()?,
                issue_place: txt(&t.issue_place)?,
            },
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.issue`: an approver other than the drafter issues a draft.
    async fn issue_receipt(
        &self,
        ctx: &Context<'_>,
        input: ReceiptRefInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            ReceiptsTx::Issue(receipt_ref(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `receipt.discard`: a draft is dropped.
    async fn discard_draft(
        &self,
        ctx: &Context<'_>,
        input: DiscardDraftInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Discard(DiscardDraft {
            receipt: rid(&input.receipt)?,
            reason: txt(&input.reason)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.endorse`: the holder endorses to a new holder; the
    /// warehouse countersigns.
    async fn endorse_receipt(
        &self,
        ctx: &Context<'_>,
        input: EndorseReceiptInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Endorse(Endorse {
            receipt: rid(&input.receipt)?,
            to: org(&input.to)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.countersign`: the warehouse completes a transfer.
    async fn countersign_transfer(
        &self,
        ctx: &Context<'_>,
        input: ReceiptRefInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            ReceiptsTx::Countersign(receipt_ref(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `receipt.cancel_request`: the holder withdraws a pending endorsement
    /// or redemption.
    async fn cancel_receipt_request(
        &self,
        ctx: &Context<'_>,
        input: ReceiptRefInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            ReceiptsTx::CancelRequest(receipt_ref(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `receipt.split`: parts that sum exactly to the receipt replace it.
    async fn split_receipt(
        &self,
        ctx: &Context<'_>,
        input: SplitReceiptInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Split(Split {
            receipt: rid(&input.receipt)?,
            parts: input
                .parts
                .iter()
                .map(|part| {
                    Ok::<_, ApiError>(Part {
                        receipt: rid(&part.receipt)?,
                        quantity: qty(&part.quantity)?,
                        pieces: pieces(part.pieces)?,
                    })
                })
                .collect::<Result<_, _>>()?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.merge`: receipts on one lot and holder become one.
    async fn merge_receipts(
        &self,
        ctx: &Context<'_>,
        input: MergeReceiptsInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Merge(Merge {
            receipts: input
                .receipts
                .iter()
                .map(|r| rid(r))
                .collect::<Result<_, _>>()?,
            into: rid(&input.into)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.request_redemption`: the holder asks for goods to leave.
    async fn request_redemption(
        &self,
        ctx: &Context<'_>,
        input: RequestRedemptionInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::RequestRedemption(RequestRedemption {
            receipt: rid(&input.receipt)?,
            quantity: qty(&input.quantity)?,
            pieces: pieces(input.pieces)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.confirm_redemption`: the warehouse releases the goods and
    /// debits the lot.
    async fn confirm_redemption(
        &self,
        ctx: &Context<'_>,
        input: ReceiptRefInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            ReceiptsTx::ConfirmRedemption(receipt_ref(&input)?),
            signature,
            vec![],
        )
        .await
    }

    /// `receipt.encumber`: the holder pledges the receipt to a bank.
    async fn encumber_receipt(
        &self,
        ctx: &Context<'_>,
        input: EncumberReceiptInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = ReceiptsTx::Encumber(Encumber {
            receipt: rid(&input.receipt)?,
            pledgee: org(&input.pledgee)?,
            reference: txt(&input.reference)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `receipt.lift`: the bank holding the encumbrance lifts it.
    async fn lift_encumbrance(
        &self,
        ctx: &Context<'_>,
        input: ReceiptRefInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        run(
            ctx,
            ReceiptsTx::Lift(receipt_ref(&input)?),
            signature,
            vec![],
        )
        .await
    }
}
