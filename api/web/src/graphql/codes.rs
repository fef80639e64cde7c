//! The stable error codes as the GraphQL enum `ErrorCode`, built from the
//! one list in `godown_domain::ErrorCode`, so the schema, and through it the
//! dashboard's codegen, can never hold a code the node does not have.
//!
//! Written by hand rather than derived because the list lives in the pure
//! domain crate, which does not depend on async-graphql; a derive would need
//! a second copy of every variant.

use std::borrow::Cow;

use async_graphql::parser::types::Field;
use async_graphql::registry::{Deprecation, MetaEnumValue, MetaType, MetaTypeId, Registry};
use async_graphql::{ContextSelectionSet, Name, OutputType, Positioned, ServerResult, Value};
use godown_domain::ErrorCode;

/// An error code, as GraphQL carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCodeType(pub ErrorCode);

impl OutputType for ErrorCodeType {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed("ErrorCode")
    }

    fn create_type_info(registry: &mut Registry) -> String {
        registry.create_output_type::<Self, _>(MetaTypeId::Enum, |_| MetaType::Enum {
            name: "ErrorCode".to_owned(),
            description: Some(
                "The stable code in `extensions.code` of every error the node answers with."
                    .to_owned(),
            ),
            enum_values: ErrorCode::ALL
                .iter()
                .map(|code| {
                    (
                        code.as_str().to_owned(),
                        MetaEnumValue {
                            name: code.as_str().to_owned(),
                            description: Some(code.meaning().to_owned()),
                            deprecation: Deprecation::NoDeprecated,
                            visible: None,
                            inaccessible: false,
                            tags: vec![],
                            directive_invocations: vec![],
                        },
                    )
                })
                .collect(),
            visible: None,
            inaccessible: false,
            tags: vec![],
            rust_typename: Some(std::any::type_name::<Self>()),
            directive_invocations: vec![],
            requires_scopes: vec![],
        })
    }

    async fn resolve(
        &self,
        _: &ContextSelectionSet<'_>,
        _: &Positioned<Field>,
    ) -> ServerResult<Value> {
        Ok(Value::Enum(Name::new(self.0.as_str())))
    }
}
