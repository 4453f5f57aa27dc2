-- Every user's balance equals the sum of the points of their ledger rows (CONTRACT section 6).
-- Returns the users where the two differ.
with

ledger as (

    select
        user_id,
        sum(points) as ledger_points

    from {{ ref('fct_points_ledger') }}

    group by user_id

),

balances as (

    select * from {{ ref('user_points_balance') }}

)

select
    coalesce(balances.user_id, ledger.user_id) as user_id,
    balances.balance,
    ledger.ledger_points

from balances

full outer join ledger
    on balances.user_id = ledger.user_id

where
    balances.balance is distinct from ledger.ledger_points
    or balances.balance != balances.lifetime_earned - balances.lifetime_redeemed
