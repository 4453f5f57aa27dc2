{{
    config(
        materialized='incremental',
        unique_key='business_key',
        incremental_strategy='merge',
        on_schema_change='append_new_columns'
    )
}}

with

ledger as (

    select * from {{ ref('stg_loyalty__points_ledger') }}

    {% if is_incremental() %}
    -- only rows written since the last build; the merge updates rows the reconciler changed
    -- (legacy UPDATEs, VOIDs) in place. '>=' so rows sharing the newest timestamp are not lost.
    where updated_at >= (select max(updated_at) from {{ this }})
    {% endif %}

),

final as (

    select
        business_key,
        user_id,
        transaction_id,
        legacy_txn_id,
        points,
        withheld_points,
        ledger_status,
        entry_type,
        ledger_sources,
        ledger_status = 'PAUSED' as is_paused,
        ledger_sources = 'realtime+legacy' as is_in_both_systems,
        event_at,
        updated_at

    from ledger

)

select * from final
