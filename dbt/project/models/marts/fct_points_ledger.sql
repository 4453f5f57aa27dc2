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
    -- rows the reconciler wrote since the last build, by when it wrote them (legacy UPDATEs and
    -- VOIDs keep their business timestamps). The lookback re-reads rows whose write committed
    -- after a later one was already visible; merging them again changes nothing.
        where written_at >= (
            select
                coalesce(max(merged.written_at), timestamp '1970-01-01 00:00:00 UTC')
                - interval '{{ var("incremental_lookback_minutes") }}' minute
            from {{ this }} as merged
        )
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
        updated_at,
        written_at

    from ledger

)

select * from final
