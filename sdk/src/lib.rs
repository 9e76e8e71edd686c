//! # cognito-sdk
//!
//! A client SDK for Amazon Cognito User Pools. This crate holds the pure protocol core that the
//! emulator shares: [`srp`] (the SRP math of both sides) and [`wire`] (request and response
//! shapes, error codes, `SECRET_HASH`).

pub mod srp;
pub mod wire;
