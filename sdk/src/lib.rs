pub mod srp;
